// Ships everything, then is killed before it can write its claim (as the seed's Builder-2 was).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const work = process.env.GODMODE_WORKDIR;
mkdirSync(join(work, 'src'), { recursive: true });
mkdirSync(join(work, 'test'), { recursive: true });
writeFileSync(join(work, 'src/farewell.js'), 'export function farewell(name) {\n  return `Goodbye, ${name}.`;\n}\n');
writeFileSync(
  join(work, 'test/farewell.test.js'),
  "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { farewell } from '../src/farewell.js';\n\ntest('farewell', () => assert.equal(farewell('Ada'), 'Goodbye, Ada.'));\n",
);
console.log('wrote src/farewell.js and its test; exiting before the claim');
process.kill(process.pid, 'SIGKILL');
