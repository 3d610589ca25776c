import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The protocol's revision (src/revision.ts): a hash of every source file (tests aside), in a fixed order. Used
 * by this package's build and by the godmode CLI's bundle, which compiles the protocol from its source.
 */
export function sourceRevision(dir) {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .sort();
  const hash = createHash('sha256');
  for (const f of files) hash.update(`${f}\0`).update(readFileSync(join(dir, f))).update('\0');
  return hash.digest('hex').slice(0, 16);
}
