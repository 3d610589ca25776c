import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, ensureBuilt, godmode, processesOfRun, repoRoot, runDirs, tempProject, type CliResult } from './helpers.js';

// The README's exit codes 4 (another conductor holds the run) and 70 (a bug in godmode), through the built binary.
let home: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  ensureBuilt();
  home = tempProject();
  env = { HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache'), GODMODE_STATE_DIR: join(home, 'state'), GODMODE_KEYRING: '0' };
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** `unshare --uts` works here (root, or user namespaces allowed): a second "machine" by its hostname. */
const canUnshare = spawnSync('unshare', ['--uts', 'true']).status === 0;

function runIn(args: string[], cwd: string, prefix: string[] = []): Promise<CliResult> {
  const [cmd, ...rest] = prefix.length > 0 ? [...prefix, process.execPath, bin, ...args] : [process.execPath, bin, ...args];
  return new Promise((resolve) => {
    execFile(cmd!, rest, { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 120_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('exit 4: another conductor holds the run', { timeout: 180_000 }, () => {
  it.skipIf(!canUnshare)('takeover and run --resume of a run conducted from another host exit 4, say who holds it, change nothing', async () => {
    const project = tempProject();
    const plan = join(project, 'plan.yaml');
    writeFileSync(
      plan,
      [
        'name: held',
        'repo: false',
        'settings: { leaseTtlMs: 1000, samplePeriodMs: 200, stallWindowMs: 60000, budgetMs: 120000, canaries: 0 }',
        'phases:',
        '  - id: one',
        '    streams:',
        '      - id: slow',
        '        worker: { adapter: command, options: { command: "mkdir -p out && echo hi > out/a.txt && exec sleep 90" } }',
        '        deliverables: [out/a.txt]',
        '',
      ].join('\n'),
    );
    // The conductor runs on "another machine" (its own hostname, the run folder shared): this host cannot see
    // its pid, only its lease, which it keeps renewing.
    const started = await runIn(['orchestra', 'run', plan, '--cwd', project, '--detach'], project, ['unshare', '--uts', 'sh', '-c', 'hostname far-away-host && exec "$0" "$@"']);
    expect(started.code, started.stderr).toBe(0);
    const [runDir] = runDirs(project);
    const lease = () => JSON.parse(readFileSync(join(runDir!, 'lease.json'), 'utf8')) as { host: string; pid: number; token: number };
    try {
      expect(lease().host).toBe('far-away-host');
      const journalBefore = readFileSync(join(runDir!, 'journal.jsonl'), 'utf8').split('\n').filter(Boolean).length;
      for (const args of [
        ['orchestra', 'takeover', runDir!, '--cwd', project],
        ['orchestra', 'run', '--resume', runDir!, '--cwd', project],
      ]) {
        const r = await godmode(args, { cwd: project, env });
        expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(4);
        expect(r.stderr).toMatch(/Another conductor holds run/);
        expect(r.stderr).not.toMatch(/\n\s+at /);
      }
      const json = await godmode(['orchestra', 'takeover', runDir!, '--cwd', project, '--json'], { cwd: project, env });
      expect(json.code).toBe(4);
      expect(json.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type?: string; code?: string }).at(-1)).toMatchObject({ type: 'error', code: 'LEASE_HELD' });
      // The holder still conducts, under the same token; no takeover was journaled.
      expect(lease().token).toBe(lease().token);
      const kinds = readFileSync(join(runDir!, 'journal.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { kind: string }).kind);
      expect(kinds).not.toContain('run.takeover');
      expect(kinds.length).toBeGreaterThanOrEqual(journalBefore);
    } finally {
      // Ours to end: the detached conductor (it stops its worker gracefully), then anything of the run left.
      try {
        process.kill(lease().pid, 'SIGTERM');
      } catch {
        // already gone
      }
      for (let i = 0; i < 100 && processesOfRun(runDir!).length > 0; i++) await sleep(200);
      for (const pid of processesOfRun(runDir!)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
      rmSync(project, { recursive: true, force: true });
    }
  });
});

describe('exit 70: a bug', { timeout: 180_000 }, () => {
  it('a plugin command built on godmode’s base command that throws a plain Error exits 70, says it is a bug, redacts credentials', async () => {
    // A plugin as an author writes one: its command extends @godmode/cli's GodmodeCommand and has a bug.
    const plugin = join(home, 'broken-plugin');
    mkdirSync(join(plugin, 'src'), { recursive: true });
    mkdirSync(join(plugin, 'node_modules/@oclif'), { recursive: true });
    mkdirSync(join(plugin, 'node_modules/@godmode'), { recursive: true });
    symlinkSync(realpathSync(join(repoRoot, 'packages/cli/node_modules/@oclif/core')), join(plugin, 'node_modules/@oclif/core'));
    symlinkSync(join(repoRoot, 'packages/cli'), join(plugin, 'node_modules/@godmode/cli'));
    writeFileSync(
      join(plugin, 'package.json'),
      JSON.stringify({ name: 'godmode-plugin-broken', version: '0.0.1', type: 'module', exports: { '.': './src/commands.js' }, oclif: { commands: { strategy: 'explicit', target: './src/commands.js', identifier: 'COMMANDS' }, topicSeparator: ' ' } }),
    );
    writeFileSync(
      join(plugin, 'src/commands.js'),
      [
        "import { GodmodeCommand } from '@godmode/cli';",
        'export class Broken extends GodmodeCommand {',
        "  static summary = 'A command with a bug.';",
        '  async run() {',
        '    await this.parse(Broken);',
        '    const rows = undefined;',
        "    if (process.env.BROKEN_PLUGIN_URL) throw new Error(`could not reach ${process.env.BROKEN_PLUGIN_URL}`);",
        '    return rows.length;',
        '  }',
        '}',
        "export const COMMANDS = { 'broken:thing': Broken };",
        '',
      ].join('\n'),
    );
    const link = await godmode(['plugins', 'link', plugin, '--no-install'], { env });
    expect(link.code, link.stderr).toBe(0);

    const r = await godmode(['broken', 'thing'], { env });
    expect(r.code, r.stderr).toBe(70);
    expect(r.stderr).toMatch(/Cannot read properties of undefined/);
    expect(r.stderr).toMatch(/bug in godmode/i);
    // No stack trace on the terminal; a pointer to the report that holds it.
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const report = /are in (\S+\.txt)/.exec(r.stderr)?.[1];
    expect(report, r.stderr).toBeDefined();
    expect(report!.startsWith(join(home, 'state', 'bugs'))).toBe(true);
    expect(readFileSync(report!, 'utf8')).toMatch(/TypeError: Cannot read properties of undefined[^\n]*\n\s+at /);
    // DEBUG shows the stack here too.
    const debug = await godmode(['broken', 'thing'], { env: { ...env, DEBUG: '1' } });
    expect(debug.code).toBe(70);
    expect(debug.stderr).toMatch(/\n\s+at /);

    // A bug's message can carry a credential (a URL with its password): it is redacted before it is printed.
    const secret = await godmode(['broken', 'thing'], { env: { ...env, BROKEN_PLUGIN_URL: 'postgres://fleet:hunter2secret@db.internal/fleet' } });
    expect(secret.code).toBe(70);
    expect(secret.stderr).toMatch(/could not reach postgres:\/\/\S*db\.internal/);
    expect(secret.stderr + secret.stdout).not.toContain('hunter2secret');

    // A plugin command on oclif's plain Command (not godmode's base) that throws: a bug too, 70, not oclif's 1.
    writeFileSync(
      join(plugin, 'src/commands.js'),
      readFileSync(join(plugin, 'src/commands.js'), 'utf8')
        .replace("import { GodmodeCommand } from '@godmode/cli';", "import { GodmodeCommand } from '@godmode/cli';\nimport { Command } from '@oclif/core';\nexport class Plain extends Command { static summary = 'Also a bug.'; async run() { const rows = undefined; return rows.length; } }")
        .replace("'broken:thing': Broken", "'broken:thing': Broken, 'broken:plain': Plain"),
    );
    const plain = await godmode(['broken', 'plain'], { env });
    expect(plain.code, plain.stderr).toBe(70);
    expect(plain.stderr).toMatch(/bug in godmode/i);
    expect(plain.stderr).not.toMatch(/\n\s+at /);

    const json = await godmode(['broken', 'thing', '--json'], { env });
    expect(json.code).toBe(70);
    expect(JSON.parse(json.stdout.trim().split('\n').at(-1)!)).toMatchObject({ type: 'error', code: 'BUG', audience: 'bug' });
  });
});
