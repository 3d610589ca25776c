import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, godmode, runDirs, tempProject } from './helpers.js';

// Issue 18 through a whole run: a worker that prints its entire environment, in a run started with the account's
// token and keys set, leaves none of them anywhere in the run — logs, journal, claims, verdicts, receipt.
beforeAll(() => ensureBuilt(), 600_000);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe("godmode's own credentials never reach a worker", { timeout: 120_000 }, () => {
  it('a worker that prints its environment leaks no account token, key or URL password into any file of the run', async () => {
    const project = tempProject();
    const plan = join(project, 'env.yaml');
    writeFileSync(
      plan,
      `name: env
repo: false
settings: { samplePeriodMs: 200, canaries: 0 }
phases:
  - id: p
    streams:
      - id: printer
        worker: { adapter: command, options: { command: 'env; env > "$GODMODE_WORKDIR/env.txt"; echo "{\\"status\\":\\"done\\",\\"summary\\":\\"$(env | tr "\\n" " " | head -c 400)\\"}" > "$GODMODE_RESULT"' } }
        deliverables: [env.txt]
`,
    );
    const secrets = { GODMODE_TOKEN: 'gmmcp_tokenvalue1234567890abcdef', GODMODE_SUPABASE_KEY: 'sb_secret_keyvalue0987654321zyxw', GODMODE_SUPABASE_URL: 'https://user:hunter2password@example.test' };
    const run = await godmode(['orchestra', 'run', plan, '--cwd', project], { env: secrets });
    expect(run.code, run.stderr).toBe(0);
    const [dir] = runDirs(project);
    const files = filesUnder(dir!);
    expect(files.some((f) => f.endsWith('journal.jsonl'))).toBe(true);
    // The worker did print its environment (so the check below can fail): PATH is there.
    expect(readFileSync(join(dir!, 'streams/printer/work/env.txt'), 'utf8')).toMatch(/^PATH=/m);
    for (const file of files) {
      const text = readFileSync(file, 'latin1');
      for (const value of [secrets.GODMODE_TOKEN, secrets.GODMODE_SUPABASE_KEY, 'hunter2password']) expect(text.includes(value), `${value} in ${file}`).toBe(false);
    }
    for (const out of [run.stdout, run.stderr]) expect(out).not.toContain(secrets.GODMODE_TOKEN);
  });
});
