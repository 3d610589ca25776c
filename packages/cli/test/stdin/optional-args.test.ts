import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/commands.js';

// oclif fills a missing argument from standard input when it is not a terminal, and waits up to 10 ms for it.
// An optional argument's absence means something ("the latest run", "the plan in this folder"), so piped input
// must never stand in for it: `echo x | godmode orchestra status` is the latest run's status, not run "x"'s.
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const bin = join(repoRoot, 'apps/godmode/bin/run.js');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('optional arguments never read standard input', () => {
  const optional = Object.entries(COMMANDS).flatMap(([id, command]) =>
    Object.entries((command.args ?? {}) as Record<string, { required?: boolean; ignoreStdin?: boolean }>)
      .filter(([, arg]) => !arg.required)
      .map(([name, arg]): [string, string, boolean | undefined] => [id, name, arg.ignoreStdin]),
  );
  it('there are optional arguments to check', () => {
    expect(optional.length).toBeGreaterThan(10);
  });
  it.each(optional)('%s <%s> ignores stdin', (_id, _name, ignoreStdin) => {
    expect(ignoreStdin).toBe(true);
  });

  it('`orchestra status` with text piped in shows the latest run (through the real binary)', () => {
    const project = mkdtempSync(join(tmpdir(), 'godmode-stdin-'));
    dirs.push(project);
    cpSync(fileURLToPath(new URL('../fixtures/exit/', import.meta.url)), join(project, 'plan'), { recursive: true });
    // Without vitest's NODE_ENV=test, under which oclif never reads stdin (a user's shell has no such variable).
    const env = { ...process.env, NODE_ENV: undefined, NO_COLOR: '1', GODMODE_TELEMETRY: '0', GODMODE_KEYRING: '0', GODMODE_STATE_DIR: join(project, 'state') };
    const seeded = spawnSync(process.execPath, [bin, 'orchestra', 'run', join(project, 'plan', 'ok.yaml'), '--cwd', project], { encoding: 'utf8', env });
    expect(seeded.status, seeded.stderr).toBe(0);
    const status = spawnSync(process.execPath, [bin, 'orchestra', 'status', '--json', '--cwd', project], { encoding: 'utf8', env, input: 'not-a-run\n' });
    expect(status.stderr).toBe('');
    expect(status.status).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ plan: 'exit-ok', status: 'finished' });
  });
});
