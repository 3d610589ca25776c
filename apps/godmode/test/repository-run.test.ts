import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { claudeTestEnv, findClaudeBinary, startModelStandIn, type ModelStandIn } from '@godmode/model-stand-in';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, ensureBuilt, expectNoProcessOfRun, journalOf, ndjson, runDirs } from './helpers.js';
import { checkoutState, fastSettings, fixtureRepository, git, gitEnv, writePlan, writer } from './repo-fixture.js';

let standIn: ModelStandIn;
const runs: string[] = [];
beforeAll(async () => {
  ensureBuilt();
  standIn = await startModelStandIn({ script: [{ bash: "mkdir -p src && printf \"export const gamma = 'g';\\n\" > src/gamma.js" }, { text: 'wrote src/gamma.js' }] });
}, 300_000);
afterAll(async () => {
  await standIn?.close();
  for (const dir of runs) await expectNoProcessOfRun(dir, 5_000).catch(() => {});
});

/** The real binary, with Claude Code pointed at the stand-in and nobody's git settings. */
function godmode(args: string[], cwd: string, model: ModelStandIn = standIn): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...claudeTestEnv({ home: mkdtempSync(path.join(tmpdir(), 'godmode-claude-home-')), standInUrl: model.url }), ...gitEnv, NO_COLOR: '1' };
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd, env, timeout: 150_000, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const seesBuilders = [
  'test -f src/alpha.js && test -f src/beta.js && test -f src/gamma.js',
  `printf '%s\\n' "import { test } from 'node:test';" "import assert from 'node:assert';" "import { alpha } from '../src/alpha.js';" "import { beta } from '../src/beta.js';" "import { gamma } from '../src/gamma.js';" "test('builders', () => assert.deepStrictEqual([alpha, beta, gamma], ['a', 'b', 'g']));" > test/builders.test.js`,
].join(' && ');

describe('a three-phase plan on a repository with uncommitted work', () => {
  it('lands every shipped stream and the test phase on the integration branch; the checkout is byte-for-byte unchanged', async () => {
    const repo = fixtureRepository();
    const plan = writePlan({
      name: 'three-phases',
      settings: fastSettings,
      test: 'node --test',
      phases: [
        {
          id: 'build',
          parallelism: 3,
          streams: [
            writer('alpha', { 'src/alpha.js': "export const alpha = 'a';\n" }),
            writer('beta', { 'src/beta.js': "export const beta = 'b';\n" }),
            {
              id: 'gamma',
              worker: { adapter: 'claude', options: { prompt: 'Write src/gamma.js exporting gamma.', executable: findClaudeBinary(), bare: true, allowedTools: ['Bash'] } },
              deliverables: ['src/gamma.js'],
            },
          ],
        },
        { id: 'test', streams: [{ id: 'tests', worker: { adapter: 'command', options: { command: seesBuilders } }, deliverables: ['test/builders.test.js'], check: 'node --test' }] },
        { id: 'docs', streams: [writer('docs', { 'docs/usage.md': '# Usage\n\nalpha, beta, gamma.\n' })] },
      ],
    });
    const before = checkoutState(repo);
    const r = await godmode(['orchestra', 'run', plan, '--json'], repo);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const events = ndjson(r.stdout);
    expect(events.find((e) => e.type === 'repository')?.message).toMatch(/3 uncommitted changes .* are not part of the run/);
    expect(events.find((e) => e.type === 'outcome')).toMatchObject({ shipped: 5, streams: 5 });
    expect(checkoutState(repo)).toEqual(before);

    const runDir = runDirs(repo).at(-1) as string;
    runs.push(runDir);
    const journal = journalOf(runDir);
    expect(journal[0]?.kind).toBe('run.repository');
    const { integration, base } = journal[0]?.payload as { integration: string; base: string };
    expect(base).toBe(before.head);
    const files = git(repo, ['ls-tree', '-r', '--name-only', integration]).split('\n');
    expect(files).toEqual(expect.arrayContaining(['src/alpha.js', 'src/beta.js', 'src/gamma.js', 'test/builders.test.js', 'docs/usage.md', 'src/index.js']));
    // The user's uncommitted and untracked work is not in the run.
    expect(files).not.toContain('src/staged.js');
    expect(files).not.toContain('scratch.txt');
    expect(git(repo, ['show', `${integration}:README.md`])).toBe('# fixture');
    // Each later phase started from the integration head the previous one left.
    const phases = journal.filter((e) => e.kind === 'phase.started').map((e) => e.payload);
    const kept = journal.filter((e) => e.kind === 'merge.kept').map((e) => e.payload);
    expect(phases[0].base).toBe(base);
    expect(phases[1].base).toBe(kept.filter((k) => k.phase === 'build').at(-1).head);
    expect(phases[2].base).toBe(kept.filter((k) => k.phase === 'test').at(-1).head);
    expect(kept.map((k) => k.stream)).toEqual(['alpha', 'beta', 'gamma', 'tests', 'docs']);
    // Every verdict names the snapshot commit it judged, and that is what was merged.
    for (const s of ['alpha', 'beta', 'gamma', 'tests', 'docs']) {
      const v = JSON.parse(readFileSync(path.join(runDir, 'streams', s, 'verdict.json'), 'utf8'));
      expect(v.status).toBe('shipped');
      expect(git(repo, ['merge-base', '--is-ancestor', v.snapshot.commit, integration])).toBe('');
      expect(git(repo, ['rev-parse', v.snapshot.ref])).toBe(v.snapshot.commit);
    }
    expect(readFileSync(path.join(runDir, 'streams/gamma/work/src/gamma.js'), 'utf8')).toBe("export const gamma = 'g';\n");
    expect(readFileSync(path.join(repo, '.godmode/.gitignore'), 'utf8')).toBe('*\n');
  }, 180_000);

  it('a claude retry resumes the first attempt\'s session (--resume <id> from system/init) and is told what is on disk', async () => {
    const model = await startModelStandIn({ script: [{ text: 'not yet' }, { bash: "mkdir -p src && printf 'export const delta = 1;\\n' > src/delta.js" }, { text: 'wrote src/delta.js' }] });
    try {
      const repo = fixtureRepository();
      const plan = writePlan({
        name: 'resume',
        settings: { ...fastSettings, maxAttempts: 2 },
        phases: [{ id: 'build', streams: [{ id: 'delta', worker: { adapter: 'claude', options: { prompt: 'Write src/delta.js.', executable: findClaudeBinary(), bare: true, allowedTools: ['Bash'] } }, deliverables: ['src/delta.js'] }] }],
      });
      const r = await godmode(['orchestra', 'run', plan, '--json'], repo, model);
      expect(r.code).toBe(0);
      const runDir = runDirs(repo).at(-1) as string;
      runs.push(runDir);
      const journal = journalOf(runDir);
      const session = journal.find((e) => e.kind === 'worker.activity' && e.payload.kind === 'init')?.payload.detail.sessionId;
      expect(session).toMatch(/[0-9a-f-]{36}/);
      const spawned = journal.filter((e) => e.kind === 'stream.spawned').map((e) => e.payload);
      expect(spawned.map((s) => s.resumed ?? null)).toEqual([null, session]);
      // The resumed request carries the first attempt's conversation.
      const [first, second] = [model.messageRequests[0]!, model.messageRequests[1]!];
      expect(second.body.messages.length).toBeGreaterThan(first.body.messages.length);
      expect(JSON.stringify(second.body.messages)).toMatch(/not yet/);
      expect(journal.filter((e) => e.kind === 'stream.reconciled').at(-1)?.payload.status).toBe('shipped');
    } finally {
      await model.close();
    }
  }, 180_000);
});
