import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The CLI bundle (tsup.config.ts) leaves a few packages to Node (`external`). Node resolves them from
// apps/godmode/dist, not from the package that imports them in source: each must be a dependency of this app,
// or the command that needs it (`orchestra dashboard`, the keyring behind `login`) breaks once installed.
const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const optional = new Map([['@electric-sql/pglite', "the Supabase stand-in's, a devDependency of @godmode/auth used only by tests"]]);

// The specifier of every static import (`import x from "y"`, `import{x}from"y"`, `import "y"`: a statement, so at
// the start of a line or after a `;`, as the bundle is minified) and of every `import("y")`.
const imports = /(?:^|;)\s*import\s*(?:[^;"'()]*?from\s*)?["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm;

function cliFiles(): string[] {
  const seen = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(imports)) {
      const spec = (m[1] ?? m[2])!;
      if (spec.startsWith('.')) walk(join(dirname(file), spec));
    }
  };
  const entries = ['main.js', 'commands.js', 'hooks/init.js', 'hooks/prerun.js', 'conductor/daemon.js', ...readdirSync(join(dist, 'commands'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js')).map((f) => `commands/${f}`)];
  for (const entry of entries) walk(join(dist, entry));
  return [...seen];
}

describe('the CLI bundle', () => {
  it('resolves every package it leaves to Node from the app itself', () => {
    const left = new Set<string>();
    for (const file of cliFiles()) {
      for (const m of readFileSync(file, 'utf8').matchAll(imports)) {
        const spec = (m[1] ?? m[2])!;
        if (spec.startsWith('.')) continue;
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        if (!spec.startsWith('node:') && !builtinModules.includes(name)) left.add(spec);
      }
    }
    const require = createRequire(join(dist, 'main.js'));
    const unresolved = [...left].filter((spec) => !optional.has(spec)).filter((spec) => {
      try {
        require.resolve(spec);
        return false;
      } catch {
        return true;
      }
    });
    expect(left.size).toBeGreaterThan(0);
    expect(unresolved).toEqual([]);
  });
});

// What a start loads before the command runs: the static imports (not `import()`) from oclif's entry, the hooks
// every command runs, and the command's own module.
function staticClosure(entries: string[]): string[] {
  const seen = new Set<string>();
  const statics = /(?:^|;)\s*import\s*(?:[^;"'()]*?from\s*)?["'](\.[^"']+)["']/gm;
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(statics)) walk(join(dirname(file), m[1]!));
  };
  for (const entry of entries) walk(join(dist, entry));
  return [...seen];
}

describe('what a start of a reading command loads (README → Start-up)', () => {
  const startUp = ['main.js', 'commands.js', 'hooks/init.js', 'hooks/prerun.js'];
  const heavy: Array<[string, RegExp]> = [
    ['zod', /\bZodType\b/],
    ['yaml', /node_modules\/yaml\//],
  ];
  it.each(['commands/orchestra/ls.js', 'commands/orchestra/status.js', null])('%s loads no zod or yaml', (command) => {
    const files = staticClosure(command ? [...startUp, command] : startUp);
    const found = heavy.filter(([, marker]) => files.some((f) => marker.test(readFileSync(f, 'utf8')))).map(([name]) => name);
    expect(found).toEqual([]);
  });
  it('and `orchestra watch` does load zod (so the markers above find what they look for)', () => {
    const files = staticClosure([...startUp, 'commands/orchestra/watch.js']);
    expect(files.some((f) => /\bZodType\b/.test(readFileSync(f, 'utf8')))).toBe(true);
  });

  it('`orchestra ls` and `status` of a finished run load no node:crypto (Node says which built-ins it loaded)', () => {
    const project = mkdtempSync(join(tmpdir(), 'godmode-startup-'));
    try {
      const plan = join(project, 'plan.yaml');
      writeFileSync(plan, 'name: startup\nrepo: false\nsettings: { canaries: 0 }\nphases:\n  - id: one\n    streams:\n      - id: a\n        worker: { adapter: command, options: { command: "mkdir -p out && echo a > out/a.txt" } }\n        deliverables: ["out/a.txt"]\n');
      // Without vitest's NODE_ENV=test: oclif does more under a test or development NODE_ENV (it loads node:crypto), as it would for a user who sets it.
      const env = { ...process.env, NODE_ENV: undefined, NO_COLOR: '1', GODMODE_STATE_DIR: join(project, 'state') };
      const bin = join(dist, '../bin/run.js');
      const hook = join(project, 'loaded.mjs');
      // The hook requires node:fs: an ES import of it would read every export (fs.promises among them) and load
      // for the hook what the check looks for.
      writeFileSync(hook, "import { createRequire } from 'node:module';\nconst { writeFileSync } = createRequire(import.meta.url)('node:fs');\nprocess.on('exit', () => writeFileSync(process.env.LOADED_OUT, JSON.stringify(process.moduleLoadList)));\n");
      const out = join(project, 'loaded.json');
      // stdout and stderr are pipes, as for a script that reads the output.
      const loaded = (args: string[]) => {
        const r = spawnSync(process.execPath, ['--import', hook, bin, ...args, '--cwd', project], { encoding: 'utf8', env: { ...env, LOADED_OUT: out }, stdio: ['ignore', 'pipe', 'pipe'] });
        expect(r.status, r.stderr).toBe(0);
        return { list: JSON.parse(readFileSync(out, 'utf8')) as string[], stdout: r.stdout };
      };
      const loads = (args: string[]) => loaded(args).list.includes('NativeModule crypto');
      // The check can fail: a run (its id, its atomic writes) loads it.
      expect(loads(['orchestra', 'run', plan])).toBe(true);
      expect(loads(['orchestra', 'ls', '--json'])).toBe(false);
      // The first status of a run validates its plan and may load anything; the next ones read the memo.
      loads(['orchestra', 'status', '--json']);
      expect(loads(['orchestra', 'status', '--json'])).toBe(false);
      // Nor do they make process.stdout or process.stderr (a pipe's stream loads `net`), materialise node:util's
      // lazy properties (`internal/util/diff`) or load `node:fs/promises` (README → Start-up).
      for (const args of [['orchestra', 'status', '--json'], ['orchestra', 'ls', '--json']]) {
        const { list, stdout } = loaded(args);
        expect(JSON.parse(stdout)).toMatchObject(args[1] === 'ls' ? { runs: [{ state: 'finished' }] } : { plan: 'startup', status: 'finished' });
        expect(list.filter((m) => ['NativeModule net', 'NativeModule tty', 'NativeModule internal/fs/sync_write_stream', 'NativeModule internal/util/diff', 'NativeModule fs/promises', 'NativeModule internal/fs/promises'].includes(m))).toEqual([]);
      }
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  // `ls --json` writes to the descriptor (no stream made), help through the stream (`godmode --help | head -1`
  // exited 13 with Node's "unsettled top-level await" warning: flush() waited for a drain that never came).
  it.each([[['orchestra', 'ls', '--json']], [['--help']], [['orchestra', 'run', '--help']]])('a reader that went away before the output (EPIPE) is no error: %j exits 0, nothing on stderr', async (args) => {
    const project = mkdtempSync(join(tmpdir(), 'godmode-epipe-'));
    try {
      const child = spawn(process.execPath, [join(dist, '../bin/run.js'), ...args], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: undefined, GODMODE_STATE_DIR: join(project, 'state') } });
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(stderr).toBe('');
      expect(code).toBe(0);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it("oclif's colours and error printer, loaded on first use, still print (FORCE_COLOR=1, an unknown command)", () => {
    const r = spawnSync(process.execPath, [join(dist, '../bin/run.js'), 'orchestra', 'nope'], { encoding: 'utf8', env: { ...process.env, NODE_ENV: undefined, FORCE_COLOR: '1', GODMODE_TELEMETRY: '0' } });
    expect(r.stderr).toContain('\u001b[31m');
    expect(r.stderr).toMatch(/"godmode orchestra nope" is not a godmode command/);
    expect(r.stderr).not.toMatch(/bug/i);
    expect(r.status).toBe(2);
  });

  it("compiles @godmode/protocol from source with the revision its own build gives (the plan memo's key)", async () => {
    const { sourceRevision } = (await import(join(dist, '../../../packages/protocol/scripts/source-revision.mjs'))) as { sourceRevision: (dir: string) => string };
    const revision = sourceRevision(join(dist, '../../../packages/protocol/src'));
    const built = readFileSync(join(dist, '../../../packages/protocol/dist/index.js'), 'utf8');
    expect(built).toContain(JSON.stringify(revision));
    expect(cliFiles().some((f) => readFileSync(f, 'utf8').includes(JSON.stringify(revision)))).toBe(true);
  });
});
