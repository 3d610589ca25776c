import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Deliverable, Divergence, Verdict, VerdictStatus } from '@godmode/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcile } from '../src/index.js';
import { gitInit, link, mkfifo, real, sh, tempDir, writeTree } from './helpers/tree.js';

const five = ['src/a.ts', 'src/b.ts', 'src/c.ts', 'README.md', 'package.json'];
const fiveFiles = Object.fromEntries(five.map((f) => [f, f.endsWith('.json') ? '{ "name": "x" }\n' : f.endsWith('.md') ? '# X\n\nA tool.\n' : real]));
const asRoot = process.getuid?.() === 0;
const huge = randomBytes(3 * 1024 * 1024);

interface Case {
  name: string;
  /** Builds the disk state: `work` is the work tree, `outside` a sibling folder outside it. */
  disk: (work: string, outside: string) => void;
  deliverables: Array<Deliverable | string>;
  claim?: string;
  check?: { command: string; timeoutMs: number };
  workTree?: (work: string, outside: string) => string;
  gitScope?: 'tree' | 'deliverables';
  status: VerdictStatus;
  divergence: Divergence;
  present?: number;
  reason?: RegExp;
  then?: (v: Verdict, work: string) => void;
}

const ok = (s: string) => JSON.stringify({ status: s });

const cases: Case[] = [
  // every divergence kind against every disk status
  { name: 'all present, claim success', disk: (w) => writeTree(w, fiveFiles), deliverables: five, claim: ok('success'), status: 'shipped', divergence: 'agrees', present: 5 },
  {
    name: 'all present, claim "throttled stub" (the seed)',
    disk: (w) => writeTree(w, fiveFiles),
    deliverables: five,
    claim: JSON.stringify({ status: 'throttled stub', artifacts: [] }),
    status: 'shipped',
    divergence: 'understated',
    then: (v) => expect(v.sentence).toBe('claim says "throttled stub"; disk has 5 of 5 deliverables — disk wins'),
  },
  { name: 'all present, no claim', disk: (w) => writeTree(w, fiveFiles), deliverables: five, status: 'shipped', divergence: 'no-claim' },
  { name: 'all present, claim partial', disk: (w) => writeTree(w, fiveFiles), deliverables: five, claim: ok('partial'), status: 'shipped', divergence: 'understated' },
  { name: 'all present, claim failed', disk: (w) => writeTree(w, fiveFiles), deliverables: five, claim: ok('failed: killed by reaper'), status: 'shipped', divergence: 'understated' },
  { name: 'all present, claim "done"', disk: (w) => writeTree(w, fiveFiles), deliverables: five, claim: ok('done'), status: 'shipped', divergence: 'agrees' },
  { name: 'all present, unrecognised status', disk: (w) => writeTree(w, fiveFiles), deliverables: five, claim: ok('banana'), status: 'shipped', divergence: 'no-claim', then: (v) => expect(v.sentence).toContain('not a status we recognise') },
  { name: 'none present, claim success', disk: () => undefined, deliverables: five, claim: ok('success'), status: 'missing', divergence: 'overstated', present: 0 },
  { name: 'none present, claim failed', disk: () => undefined, deliverables: five, claim: ok('error'), status: 'missing', divergence: 'agrees' },
  { name: 'none present, no claim', disk: () => undefined, deliverables: five, status: 'missing', divergence: 'no-claim', reason: /not on disk/ },
  { name: 'none present, claim partial', disk: () => undefined, deliverables: five, claim: ok('partially done'), status: 'missing', divergence: 'overstated' },
  { name: 'some present, claim success', disk: (w) => writeTree(w, { 'src/a.ts': real, 'src/b.ts': real }), deliverables: five, claim: ok('complete'), status: 'partial', divergence: 'overstated', present: 2 },
  { name: 'some present, claim partial', disk: (w) => writeTree(w, { 'src/a.ts': real }), deliverables: five, claim: ok('partial'), status: 'partial', divergence: 'agrees', present: 1 },
  { name: 'some present, claim "no artifacts"', disk: (w) => writeTree(w, { 'src/a.ts': real }), deliverables: five, claim: ok('no artifacts'), status: 'partial', divergence: 'understated' },
  // stubs
  { name: 'every file a TODO stub, claim success', disk: (w) => writeTree(w, Object.fromEntries(five.map((f) => [f, '// TODO\n']))), deliverables: five, claim: ok('success'), status: 'missing', divergence: 'overstated', reason: /stub/ },
  { name: 'one stub among three', disk: (w) => writeTree(w, { 'a.ts': real, 'b.ts': real, 'c.ts': 'export function c() {\n  throw new Error("not implemented");\n}\n' }), deliverables: ['a.ts', 'b.ts', 'c.ts'], claim: ok('success'), status: 'partial', divergence: 'overstated', present: 2, reason: /c\.ts: stub/ },
  { name: 'zero-byte file', disk: (w) => writeTree(w, { 'a.ts': '' }), deliverables: ['a.ts'], status: 'missing', divergence: 'no-claim', reason: /0 bytes/ },
  { name: 'whitespace-only file', disk: (w) => writeTree(w, { 'a.ts': '\n\n   \n' }), deliverables: ['a.ts'], status: 'missing', divergence: 'no-claim', reason: /whitespace/ },
  { name: 'python pass stub', disk: (w) => writeTree(w, { 'main.py': 'def main():\n    pass\n' }), deliverables: ['main.py'], claim: ok('shipped'), status: 'missing', divergence: 'overstated' },
  // symlinks and traversal
  { name: 'symlink inside the tree to a file inside counts', disk: (w) => { writeTree(w, { 'gen/a.ts': real }); link('../gen/a.ts', path.join(w, 'src/a.ts')); }, deliverables: ['src/a.ts'], status: 'shipped', divergence: 'no-claim' },
  { name: 'symlink out of the tree never counts', disk: (w, o) => { writeTree(o, { 'a.ts': real }); link(path.join(o, 'a.ts'), path.join(w, 'src/a.ts')); }, deliverables: ['src/a.ts'], claim: ok('success'), status: 'missing', divergence: 'overstated', reason: /outside the work tree/ },
  { name: 'relative symlink climbing out never counts', disk: (w, o) => { writeTree(o, { 'a.ts': real }); link(`../${path.basename(o)}/a.ts`, path.join(w, 'a.ts')); }, deliverables: ['a.ts'], status: 'missing', divergence: 'no-claim', reason: /outside/ },
  { name: 'symlinked folder out of the tree never counts', disk: (w, o) => { writeTree(o, { 'lib/a.ts': real }); mkdirSync(w, { recursive: true }); link(path.join(o, 'lib'), path.join(w, 'lib')); }, deliverables: ['lib/a.ts'], status: 'missing', divergence: 'no-claim', reason: /outside/ },
  { name: 'dangling symlink', disk: (w) => link('nowhere.ts', path.join(w, 'a.ts')), deliverables: ['a.ts'], status: 'missing', divergence: 'no-claim', reason: /dangling/ },
  { name: 'symlink loop', disk: (w) => { link('b.ts', path.join(w, 'a.ts')); link('a.ts', path.join(w, 'b.ts')); }, deliverables: ['a.ts'], status: 'missing', divergence: 'no-claim', reason: /loop/ },
  { name: 'traversal "../" path never counts', disk: (w, o) => writeTree(o, { 'a.ts': real }), deliverables: [{ path: '../outside/a.ts' }], status: 'missing', divergence: 'no-claim', reason: /escapes/ },
  { name: 'absolute path never counts', disk: (w) => writeTree(w, { 'etc/passwd': real }), deliverables: [{ path: '/etc/passwd' }], status: 'missing', divergence: 'no-claim', reason: /escapes/ },
  { name: 'glob climbing out never counts', disk: (w, o) => writeTree(o, { 'a.ts': real, 'b.ts': real }), deliverables: [{ glob: '../outside/*.ts', min: 1 }], status: 'missing', divergence: 'no-claim', reason: /escapes/ },
  // not regular, unreadable, binary, huge
  { name: 'a directory where a file should be', disk: (w) => mkdirSync(path.join(w, 'a.ts'), { recursive: true }), deliverables: ['a.ts'], status: 'missing', divergence: 'no-claim', reason: /directory/ },
  { name: 'a FIFO where a file should be (never opened)', disk: (w) => { mkdirSync(w, { recursive: true }); mkfifo(path.join(w, 'a.ts')); }, deliverables: ['a.ts'], status: 'missing', divergence: 'no-claim', reason: /FIFO/ },
  {
    name: asRoot ? 'chmod 000 file (root can still read it, so it counts)' : 'chmod 000 file is unreadable',
    disk: (w) => { writeTree(w, { 'a.ts': real }); chmodSync(path.join(w, 'a.ts'), 0o000); },
    deliverables: ['a.ts'],
    status: asRoot ? 'shipped' : 'missing',
    divergence: 'no-claim',
    ...(asRoot ? {} : { reason: /unreadable/ }),
  },
  { name: 'binary file counts', disk: (w) => writeTree(w, { 'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]) }), deliverables: ['logo.png'], status: 'shipped', divergence: 'no-claim' },
  {
    name: 'huge file (3 MB) counts, with its real hash',
    disk: (w) => writeTree(w, { 'data.bin': huge }),
    deliverables: ['data.bin'],
    status: 'shipped',
    divergence: 'no-claim',
    then: (v) => expect(v.evidence.deliverables[0]?.files[0]).toMatchObject({ size: huge.length, sha256: createHash('sha256').update(huge).digest('hex') }),
  },
  { name: 'large file of TODOs is still a stub (size is no excuse)', disk: (w) => writeTree(w, { 'notes.md': 'TODO\n'.repeat(20_000) }), deliverables: ['notes.md'], status: 'missing', divergence: 'no-claim', reason: /stub/ },
  // globs with minimum counts
  { name: 'glob meets its minimum', disk: (w) => writeTree(w, { 'src/a.ts': real, 'src/b.ts': real, 'src/c.ts': real }), deliverables: [{ glob: 'src/*.ts', min: 3 }], claim: ok('success'), status: 'shipped', divergence: 'agrees', then: (v) => expect(v.evidence.deliverables[0]?.files.map((f) => f.path)).toEqual(['src/a.ts', 'src/b.ts', 'src/c.ts']) },
  { name: 'glob below its minimum is partial', disk: (w) => writeTree(w, { 'src/a.ts': real, 'src/b.ts': real }), deliverables: [{ glob: 'src/*.ts', min: 3 }], claim: ok('success'), status: 'partial', divergence: 'overstated', reason: /2 of at least 3/ },
  { name: 'glob skips node_modules', disk: (w) => writeTree(w, { 'node_modules/x/a.ts': real, 'node_modules/x/b.ts': real }), deliverables: [{ glob: '**/*.ts', min: 2 }], status: 'missing', divergence: 'no-claim' },
  { name: 'glob skips .git', disk: (w) => writeTree(w, { '.git/hooks/a.ts': real, 'src/b.ts': real }), deliverables: [{ glob: '**/*.ts', min: 2 }], status: 'partial', divergence: 'no-claim', then: (v) => expect(v.evidence.deliverables[0]?.files.map((f) => f.path)).toEqual(['src/b.ts']) },
  { name: 'glob with a stub among its matches', disk: (w) => writeTree(w, { 'src/a.ts': real, 'src/b.ts': real, 'src/c.ts': 'TODO' }), deliverables: [{ glob: 'src/**/*.ts', min: 3 }], status: 'partial', divergence: 'no-claim', reason: /c\.ts: stub/ },
  { name: 'glob and paths together', disk: (w) => writeTree(w, { 'src/a.ts': real, 'src/b.ts': real, 'README.md': '# R\n\nText.\n' }), deliverables: ['README.md', { glob: 'src/*.ts', min: 2 }], claim: ok('throttled stub'), status: 'shipped', divergence: 'understated' },
  // the work tree itself
  { name: 'work tree missing', disk: () => undefined, workTree: (w) => path.join(w, 'never-made'), deliverables: ['a.ts'], claim: ok('success'), status: 'missing', divergence: 'overstated', reason: /does not exist/ },
  { name: 'work tree is a file', disk: (w, o) => writeTree(o, { f: 'x' }), workTree: (_w, o) => path.join(o, 'f'), deliverables: ['a.ts'], status: 'missing', divergence: 'no-claim' },
  { name: 'no deliverables, tree with content', disk: (w) => writeTree(w, { 'x.ts': real }), deliverables: [], claim: ok('success'), status: 'shipped', divergence: 'agrees' },
  { name: 'no deliverables, empty tree', disk: (w) => mkdirSync(w, { recursive: true }), deliverables: [], claim: ok('success'), status: 'missing', divergence: 'overstated' },
  { name: 'no deliverables, only stubs and node_modules', disk: (w) => writeTree(w, { 'a.ts': 'TODO', 'node_modules/x/index.js': real }), deliverables: [], status: 'missing', divergence: 'no-claim' },
  // checks
  {
    name: 'passing check keeps shipped, with counts',
    disk: (w) => writeTree(w, fiveFiles),
    deliverables: five,
    check: { command: 'echo "      Tests  4 passed (4)"', timeoutMs: 10_000 },
    claim: ok('success'),
    status: 'shipped',
    divergence: 'agrees',
    then: (v) => expect(v.evidence.check).toMatchObject({ exitCode: 0, passed: 4, failed: 0, timedOut: false }),
  },
  {
    name: 'failing check caps at partial',
    disk: (w) => writeTree(w, fiveFiles),
    deliverables: five,
    check: { command: 'echo "Tests  1 failed | 2 passed (3)"; exit 1', timeoutMs: 10_000 },
    claim: ok('success'),
    status: 'partial',
    divergence: 'overstated',
    then: (v) => expect(v.evidence.check).toMatchObject({ exitCode: 1, passed: 2, failed: 1 }),
  },
  { name: 'exit 0 with TAP failures still fails', disk: (w) => writeTree(w, fiveFiles), deliverables: five, check: { command: 'printf "# pass 3\\n# fail 2\\n"', timeoutMs: 10_000 }, status: 'partial', divergence: 'no-claim' },
  { name: 'check that times out caps at partial', disk: (w) => writeTree(w, fiveFiles), deliverables: five, check: { command: 'sleep 30', timeoutMs: 300 }, status: 'partial', divergence: 'no-claim', then: (v) => expect(v.evidence.check).toMatchObject({ timedOut: true, exitCode: null }) },
  { name: 'check runs in the work tree', disk: (w) => writeTree(w, { 'a.ts': real }), deliverables: ['a.ts'], check: { command: 'test -f a.ts', timeoutMs: 10_000 }, status: 'shipped', divergence: 'no-claim' },
  { name: 'failing check with nothing on disk stays missing', disk: () => undefined, deliverables: ['a.ts'], check: { command: 'exit 1', timeoutMs: 10_000 }, claim: ok('failed'), status: 'missing', divergence: 'agrees' },
  // git evidence
  {
    name: 'git worktree: branch, commits since base, uncommitted deliverables',
    disk: (w) => {
      writeTree(w, { 'README.md': '# base\n\ntext\n' });
      gitInit(w);
      sh(w, 'switch', '-q', '-c', 'stream/auth');
      writeTree(w, { 'src/a.ts': real });
      sh(w, 'add', '-A');
      sh(w, 'commit', '-q', '-m', 'a');
      writeTree(w, { 'src/b.ts': real });
      sh(w, 'add', '-A');
      sh(w, 'commit', '-q', '-m', 'b');
      writeTree(w, { 'src/c.ts': real, 'README.md': '# changed\n\ntext\n' });
    },
    deliverables: ['src/a.ts', 'src/b.ts', 'src/c.ts'],
    claim: ok('success'),
    status: 'shipped',
    divergence: 'agrees',
    then: (v) => expect(v.evidence.git).toMatchObject({ branch: 'stream/auth', commitsSinceBase: 2, uncommittedChanges: 1 }),
  },
  {
    name: 'git worktree with gitScope tree counts every uncommitted change',
    disk: (w) => {
      writeTree(w, { 'README.md': '# base\n\ntext\n' });
      gitInit(w);
      sh(w, 'switch', '-q', '-c', 'stream/auth');
      writeTree(w, { 'src/a.ts': real });
      sh(w, 'add', '-A');
      sh(w, 'commit', '-q', '-m', 'a');
      writeTree(w, { 'src/b.ts': real });
      sh(w, 'add', '-A');
      sh(w, 'commit', '-q', '-m', 'b');
      writeTree(w, { 'src/c.ts': real, 'README.md': '# changed\n\ntext\n' });
    },
    deliverables: ['src/a.ts', 'src/b.ts', 'src/c.ts'],
    claim: ok('success'),
    gitScope: 'tree',
    status: 'shipped',
    divergence: 'agrees',
    then: (v) => expect(v.evidence.git).toMatchObject({ branch: 'stream/auth', commitsSinceBase: 2, uncommittedChanges: 2 }),
  },
  {
    name: 'a folder inside another repository gets no git evidence',
    disk: (w, o) => {
      mkdirSync(o, { recursive: true });
      gitInit(path.dirname(w));
      writeTree(w, { 'a.ts': real });
    },
    deliverables: ['a.ts'],
    status: 'shipped',
    divergence: 'no-claim',
    then: (v) => expect(v.evidence.git).toBeNull(),
  },
];

let root: { dir: string; remove: () => void };
const verdicts = new Map<string, Verdict>();
const works = new Map<string, string>();

beforeAll(async () => {
  root = tempDir();
  await Promise.all(
    cases.map(async (c, i) => {
      const base = path.join(root.dir, `case-${i}`);
      const work = path.join(base, 'work');
      const outside = path.join(base, 'outside');
      mkdirSync(work, { recursive: true });
      c.disk(work, outside);
      const claimFile = path.join(base, 'result.json');
      if (c.claim !== undefined) writeFileSync(claimFile, c.claim);
      const workTree = c.workTree ? c.workTree(work, outside) : work;
      works.set(c.name, work);
      const verdict = await reconcile({
        stream: { id: `s${i}`, deliverables: c.deliverables as Deliverable[], ...(c.check ? { check: c.check } : {}) },
        workTree,
        claim: { path: claimFile },
        attempt: 1,
        ...(c.gitScope ? { gitScope: c.gitScope } : {}),
      });
      verdicts.set(c.name, verdict);
    }),
  );
}, 120_000);

afterAll(() => root?.remove());

describe('reconcile: disk states × claims', () => {
  it('has at least 40 cases', () => expect(cases.length).toBeGreaterThanOrEqual(40));

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const v = verdicts.get(c.name) as Verdict;
    expect({ status: v.status, divergence: v.divergence }).toEqual({ status: c.status, divergence: c.divergence });
    if (c.present !== undefined) expect(v.deliverables.present).toBe(c.present);
    if (c.reason) expect(v.evidence.deliverables.flatMap((d) => d.reasons).join('\n')).toMatch(c.reason);
    expect(v.sentence.length).toBeGreaterThan(10);
    expect(v.attempt).toBe(1);
    for (const d of v.evidence.deliverables) for (const f of d.files) expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
    c.then?.(v, works.get(c.name) as string);
  });
});
