import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, godmode, journalOf, repoRoot, runDirs, tempProject } from './helpers.js';

// A plugin author's path, for real: the example plugin packed, unpacked into a fresh folder, its dependencies
// installed from the registry, linked into a throwaway godmode data folder with `godmode plugins link`; then a
// plan that uses its adapter, in the foreground and with --detach (a separate conductor process).
let home: string;
let pluginDir: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  ensureBuilt();
  home = tempProject();
  const packs = join(home, 'packs');
  mkdirSync(packs);
  execFileSync('npm', ['pack', '--pack-destination', packs, '--loglevel=error'], { cwd: join(repoRoot, 'examples/plugin-adapter'), stdio: 'ignore' });
  const tarball = join(packs, readdirSync(packs)[0]!);
  execFileSync('tar', ['xzf', tarball, '-C', home]);
  pluginDir = join(home, 'package');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: pluginDir, stdio: 'ignore' });
  env = { HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache') };
}, 300_000);

afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('a plugin that adds a command and a worker adapter', { timeout: 180_000 }, () => {
  it('links with `godmode plugins link`, and its command runs', async () => {
    const link = await godmode(['plugins', 'link', pluginDir, '--no-install'], { env });
    expect(link.stderr).not.toMatch(/Error/);
    expect(link.code).toBe(0);
    const list = await godmode(['plugins'], { env });
    expect(list.stdout).toMatch(/godmode-plugin-scribe/);
    const hello = await godmode(['scribe', 'hello', 'Ada'], { env });
    expect(hello.stdout.trim()).toBe('hello, Ada, from the scribe plugin');
  });

  it('its adapter is known to validation: bad options are refused at their path before anything starts', async () => {
    const project = tempProject();
    const bad = join(project, 'bad.yaml');
    const text = readFileSync(join(pluginDir, 'plan.yaml'), 'utf8').replace('delayMs: 200', 'delayMs: -1');
    execFileSync('sh', ['-c', `cat > "${bad}"`], { input: text });
    const run = await godmode(['orchestra', 'run', bad, '--cwd', project], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/worker\.options\.delayMs/);
    expect(runDirs(project)).toEqual([]);
  });

  it('runs a plan on its adapter in the foreground', async () => {
    const project = tempProject();
    const run = await godmode(['orchestra', 'run', join(pluginDir, 'plan.yaml'), '--cwd', project], { env });
    expect(run.stderr).not.toMatch(/unknown adapter/);
    expect(run.code).toBe(0);
    const [dir] = runDirs(project);
    const verdict = JSON.parse(readFileSync(join(dir!, 'streams/poem/verdict.json'), 'utf8'));
    expect(verdict.status).toBe('shipped');
  });

  it('runs it with --detach: the detached conductor loads the plugin too', async () => {
    const project = tempProject();
    const run = await godmode(['orchestra', 'run', join(pluginDir, 'plan.yaml'), '--cwd', project, '--detach'], { env });
    expect(run.code).toBe(0);
    const [dir] = runDirs(project);
    let finished: Record<string, any> | undefined;
    for (let i = 0; i < 300 && !finished; i++) {
      finished = journalOf(dir!).find((e) => e.kind === 'run.finished');
      if (!finished) await sleep(200);
    }
    expect(finished).toBeDefined();
    expect(existsSync(join(dir!, 'streams/poem/verdict.json'))).toBe(true);
    const verdict = JSON.parse(readFileSync(join(dir!, 'streams/poem/verdict.json'), 'utf8'));
    expect(verdict.status).toBe('shipped');
  });
});
