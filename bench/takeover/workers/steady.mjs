// A worker that keeps writing a file every 500 ms for a minute: alive through a takeover.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const work = process.env.GODMODE_WORKDIR;
mkdirSync(join(work, 'out'), { recursive: true });
for (let i = 1; i <= 120; i++) {
  writeFileSync(join(work, 'out', `tick-${i}.txt`), `tick ${i}\n`);
  console.log(`tick ${i}`);
  await new Promise((r) => setTimeout(r, 500));
}
writeFileSync(process.env.GODMODE_RESULT, JSON.stringify({ status: 'success' }));
