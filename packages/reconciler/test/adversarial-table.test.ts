import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Deliverable, Divergence, Verdict, VerdictStatus } from '@godmode/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { merge, reconcile, retireClaim } from '../src/index.js';
import { real, tempDir, writeTree } from './helpers/tree.js';

/**
 * Adversarial disk states × claims (issue 12 §2), each with the verdict a careful human would give.
 * Every case lives in a run-shaped folder: `<base>/run/streams/s/{work,result.json,attempts/}` with
 * `within` = `<base>/run`, and `<base>/outside` a folder the worker should not be able to ship from.
 */
interface Ctx {
  base: string;
  run: string;
  stream: string;
  work: string;
  outside: string;
  claimFile: string;
}
interface Case {
  name: string;
  disk: (c: Ctx) => void | Promise<void>;
  deliverables: Array<Deliverable | string>;
  /** result.json content (written before `disk` runs, so `disk` may age, move or replace it). */
  claim?: string;
  attempt?: number;
  claimSince?: (c: Ctx) => number;
  finalAnswer?: string;
  check?: { command: string; timeoutMs: number };
  /** What reconcile is told the work tree is (default: the stream's work folder). */
  workTree?: (c: Ctx) => string;
  within?: (c: Ctx) => string;
  status: VerdictStatus;
  divergence: Divergence;
  reason?: RegExp;
  then?: (v: Verdict, c: Ctx) => void;
}

const ok = (status: string, extra: Record<string, unknown> = {}) => JSON.stringify({ status, ...extra });
const three = ['src/a.ts', 'src/b.ts', 'src/c.ts'];
const threeFiles = Object.fromEntries(three.map((f, i) => [f, `export function f${i}(a: number): number {\n  return a * ${i + 2};\n}\n`]));
/** Distinct real code of about `bytes` bytes. */
const code = (bytes: number) => Array.from({ length: Math.ceil(bytes / 32) }, (_, i) => `export const v${i} = ${i} * 3 + 1;\n`).join('');
const minified = (bytes: number) => `!function(){${Array.from({ length: Math.ceil(bytes / 24) }, (_, i) => `var a${i}=${i}*7+b(${i});`).join('')}}();`;
const utf16le = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
const utf16be = (s: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(s, 'utf16le').swap16()]);
const utf32le = (s: string) => {
  const b = Buffer.alloc(4 + s.length * 4);
  b.writeUInt32LE(0xfeff, 0);
  [...s].forEach((ch, i) => b.writeUInt32LE(ch.codePointAt(0) as number, 4 + i * 4));
  return b;
};
const todoBody = '// TODO: implement\nexport function login(user: string): string {\n  throw new Error("not implemented");\n}\n';
const hour = 3600;
const age = (file: string, seconds: number) => {
  const t = Date.now() / 1000 - seconds;
  utimesSync(file, t, t);
};

const cases: Case[] = [
  // ── symlinked roots: evidence of tampering, nothing counts ──────────────────────────────────────
  {
    name: 'work tree is a symlink to a folder with every deliverable, claim success',
    disk: (c) => { writeTree(c.outside, threeFiles); symlinkSync(c.outside, c.work); },
    deliverables: three, claim: ok('success'), status: 'missing', divergence: 'overstated', reason: /symlink.*tampering/,
    then: (v) => { expect(v.sentence).toMatch(/tampering/); expect((v.evidence as { tampering?: string }).tampering).toMatch(/symlink/); },
  },
  { name: 'work tree is a symlink to /etc, deliverable passwd', disk: (c) => symlinkSync('/etc', c.work), deliverables: ['passwd'], claim: ok('done'), status: 'missing', divergence: 'overstated', reason: /tampering/, then: (v) => expect(JSON.stringify(v)).not.toMatch(/root:/) },
  { name: 'work tree is a relative symlink to a sibling stream', disk: (c) => { writeTree(path.join(c.run, 'streams/other/work'), threeFiles); symlinkSync('../other/work', c.work); }, deliverables: three, status: 'missing', divergence: 'no-claim', reason: /symlink/ },
  { name: 'the stream folder above the work tree is a symlink out of the run', disk: (c) => { writeTree(path.join(c.outside, 'work'), threeFiles); rmSync(c.stream, { recursive: true }); symlinkSync(c.outside, c.stream); }, deliverables: three, status: 'missing', divergence: 'no-claim', reason: /real path.*tampering/ },
  { name: 'symlinked work tree with no deliverables: its content does not count', disk: (c) => { writeTree(c.outside, { 'x.ts': real }); symlinkSync(c.outside, c.work); }, deliverables: [], claim: ok('success'), status: 'missing', divergence: 'overstated', then: (v) => expect(v.sentence).toMatch(/tampering/) },
  { name: 'symlinked work tree: its check is not run', disk: (c) => { writeTree(c.outside, threeFiles); symlinkSync(c.outside, c.work); }, deliverables: three, check: { command: 'echo "3 passed"', timeoutMs: 10_000 }, status: 'missing', divergence: 'no-claim', then: (v) => { expect(v.evidence.check).toBeNull(); expect(v.evidence.git).toBeNull(); } },
  { name: 'symlinked work tree, claim failed: they agree on missing', disk: (c) => { writeTree(c.outside, threeFiles); symlinkSync(c.outside, c.work); }, deliverables: three, claim: ok('failed'), status: 'missing', divergence: 'agrees' },
  { name: 'dangling symlink as the work tree', disk: (c) => symlinkSync(path.join(c.outside, 'nowhere'), c.work), deliverables: three, status: 'missing', divergence: 'no-claim', reason: /tampering/ },
  { name: 'work tree named outside the run folder', disk: (c) => writeTree(c.outside, threeFiles), workTree: (c) => c.outside, deliverables: three, claim: ok('success'), status: 'missing', divergence: 'overstated', reason: /not inside the run/ },
  { name: 'run folder reached through a symlink (e.g. /tmp → /private/tmp) is fine', disk: (c) => { writeTree(c.work, threeFiles); symlinkSync(c.run, path.join(c.base, 'run-link')); }, workTree: (c) => path.join(c.base, 'run-link/streams/s/work'), within: (c) => path.join(c.base, 'run-link'), deliverables: three, claim: ok('success'), status: 'shipped', divergence: 'agrees' },
  // ── hard links ──────────────────────────────────────────────────────────────────────────────────
  { name: 'deliverable hard-linked to a file outside the tree', disk: (c) => { writeTree(c.outside, { 'passwd': 'root:x:0:0:root:/root:/bin/bash\n' }); writeTree(c.work, { 'src/a.ts': real, 'src/b.ts': real }); linkSync(path.join(c.outside, 'passwd'), path.join(c.work, 'src/c.ts')); }, deliverables: three, claim: ok('success'), status: 'partial', divergence: 'overstated', reason: /c\.ts: hard link to a file outside the work tree \(nlink 2, 1 inside\)/ },
  { name: 'deliverable hard-linked to another file inside the tree counts, nlink recorded', disk: (c) => { writeTree(c.work, threeFiles); linkSync(path.join(c.work, 'src/a.ts'), path.join(c.work, 'src/a-copy.ts')); }, deliverables: [...three, 'src/a-copy.ts'], status: 'shipped', divergence: 'no-claim', then: (v) => expect(v.evidence.deliverables[3]?.files[0]).toMatchObject({ path: 'src/a-copy.ts', nlink: 2 }) },
  { name: 'plain files record nlink 1', disk: (c) => writeTree(c.work, threeFiles), deliverables: three, status: 'shipped', divergence: 'no-claim', then: (v) => expect(v.evidence.deliverables.map((d) => (d.files[0] as { nlink?: number }).nlink)).toEqual([1, 1, 1]) },
  { name: 'glob whose matches include an outside hard link falls below its minimum', disk: (c) => { writeTree(c.outside, { 'lib.ts': real }); writeTree(c.work, { 'src/a.ts': real, 'src/b.ts': threeFiles['src/b.ts'] as string }); linkSync(path.join(c.outside, 'lib.ts'), path.join(c.work, 'src/lib.ts')); }, deliverables: [{ glob: 'src/*.ts', min: 3 }], claim: ok('complete'), status: 'partial', divergence: 'overstated', reason: /hard link/ },
  { name: 'no deliverables and the only file is an outside hard link', disk: (c) => { writeTree(c.outside, { 'x.ts': real }); mkdirSync(c.work, { recursive: true }); linkSync(path.join(c.outside, 'x.ts'), path.join(c.work, 'x.ts')); }, deliverables: [], claim: ok('success'), status: 'missing', divergence: 'overstated' },
  // ── zero-filled and repeated content, whatever the size ─────────────────────────────────────────
  { name: '1 MiB of zero bytes', disk: (c) => writeTree(c.work, { 'data.bin': Buffer.alloc(1 << 20) }), deliverables: ['data.bin'], claim: ok('success'), status: 'missing', divergence: 'overstated', reason: /stub/ },
  { name: '4 KiB of zero bytes', disk: (c) => writeTree(c.work, { 'a.ts': Buffer.alloc(4096) }), deliverables: ['a.ts'], status: 'missing', divergence: 'no-claim', reason: /stub/ },
  { name: '1 MiB of 0xFF bytes', disk: (c) => writeTree(c.work, { 'a.bin': Buffer.alloc(1 << 20, 0xff) }), deliverables: ['a.bin'], status: 'missing', divergence: 'no-claim', reason: /one byte \(0xff\) repeated/ },
  { name: '95 KB of "// TODO: implement" lines', disk: (c) => writeTree(c.work, { 'a.ts': '// TODO: implement\n'.repeat(5000) }), deliverables: ['a.ts'], claim: ok('success'), status: 'missing', divergence: 'overstated', reason: /stub/ },
  { name: '200 KB of numbered TODO lines', disk: (c) => writeTree(c.work, { 'a.ts': Array.from({ length: 8000 }, (_, i) => `// TODO: step ${i}\n`).join('') }), deliverables: ['a.ts'], status: 'missing', divergence: 'no-claim', reason: /placeholder/ },
  { name: '2 MB of one repeated line of code', disk: (c) => writeTree(c.work, { 'a.ts': 'export const x = 1;\n'.repeat(100_000) }), deliverables: ['a.ts'], claim: ok('done'), status: 'missing', divergence: 'overstated', reason: /repeated/ },
  { name: '1 MB of one repeated three-byte block', disk: (c) => writeTree(c.work, { 'a.txt': 'abc'.repeat(350_000) }), deliverables: ['a.txt'], status: 'missing', divergence: 'no-claim', reason: /3-byte block repeated/ },
  { name: 'one repeated line, CRLF, no final newline', disk: (c) => writeTree(c.work, { 'a.py': 'print(1)\r\nprint(1)\r\nprint(1)' }), deliverables: ['a.py'], status: 'missing', divergence: 'no-claim', reason: /repeated/ },
  { name: '3 MB of random bytes is work', disk: (c) => writeTree(c.work, { 'a.bin': randomBytes(3 << 20) }), deliverables: ['a.bin'], claim: ok('success'), status: 'shipped', divergence: 'agrees' },
  { name: '100 KB of distinct real code is work', disk: (c) => writeTree(c.work, { 'a.ts': code(100_000) }), deliverables: ['a.ts'], claim: ok('success'), status: 'shipped', divergence: 'agrees' },
  { name: 'one zero-filled deliverable among three', disk: (c) => writeTree(c.work, { ...threeFiles, 'src/c.ts': Buffer.alloc(70_000) }), deliverables: three, claim: ok('success'), status: 'partial', divergence: 'overstated', reason: /c\.ts: stub/ },
  // ── encodings ───────────────────────────────────────────────────────────────────────────────────
  { name: 'UTF-16LE placeholder with a BOM', disk: (c) => writeTree(c.work, { 'a.ts': utf16le(todoBody) }), deliverables: ['a.ts'], claim: ok('success'), status: 'missing', divergence: 'overstated', reason: /stub/ },
  { name: 'UTF-16BE placeholder with a BOM', disk: (c) => writeTree(c.work, { 'a.ts': utf16be(todoBody) }), deliverables: ['a.ts'], status: 'missing', divergence: 'no-claim', reason: /stub/ },
  { name: 'UTF-32LE placeholder with a BOM', disk: (c) => writeTree(c.work, { 'a.ts': utf32le(todoBody) }), deliverables: ['a.ts'], status: 'missing', divergence: 'no-claim', reason: /stub/ },
  { name: 'UTF-16LE real code with a BOM is work', disk: (c) => writeTree(c.work, { 'a.ts': utf16le(real) }), deliverables: ['a.ts'], claim: ok('success'), status: 'shipped', divergence: 'agrees' },
  { name: 'UTF-8 BOM placeholder', disk: (c) => writeTree(c.work, { 'a.ts': `\uFEFF${todoBody}` }), deliverables: ['a.ts'], status: 'missing', divergence: 'no-claim' },
  { name: 'UTF-16LE placeholder over 64 KB', disk: (c) => writeTree(c.work, { 'a.ts': utf16le('// TODO: implement\n'.repeat(3000)) }), deliverables: ['a.ts'], claim: ok('shipped'), status: 'missing', divergence: 'overstated', reason: /stub/ },
  // ── padding ─────────────────────────────────────────────────────────────────────────────────────
  { name: 'TODO padded with 100 KB of spaces', disk: (c) => writeTree(c.work, { 'a.ts': `// TODO\n${' '.repeat(100_000)}\n` }), deliverables: ['a.ts'], claim: ok('success'), status: 'missing', divergence: 'overstated' },
  { name: 'TODO padded with 100 KB of newlines', disk: (c) => writeTree(c.work, { 'a.ts': `// TODO\n${'\n'.repeat(100_000)}` }), deliverables: ['a.ts'], status: 'missing', divergence: 'no-claim' },
  { name: 'placeholder padded with 100 KB of NUL bytes', disk: (c) => writeTree(c.work, { 'a.ts': Buffer.concat([Buffer.from(todoBody), Buffer.alloc(100_000)]) }), deliverables: ['a.ts'], status: 'missing', divergence: 'no-claim' },
  { name: 'placeholder padded with a 70 KB line of one character', disk: (c) => writeTree(c.work, { 'a.ts': `${todoBody}// ${'='.repeat(70_000)}\n` }), deliverables: ['a.ts'], status: 'missing', divergence: 'no-claim' },
  { name: 'placeholder padded with 5,000 blank comment lines', disk: (c) => writeTree(c.work, { 'a.py': `def run():\n    pass\n${'#\n'.repeat(5000)}` }), deliverables: ['a.py'], claim: ok('complete'), status: 'missing', divergence: 'overstated' },
  { name: 'real code padded with whitespace is still work', disk: (c) => writeTree(c.work, { 'a.ts': `${real}${' \n'.repeat(50_000)}` }), deliverables: ['a.ts'], status: 'shipped', divergence: 'no-claim' },
  // ── identifiers that start with placeholder words are code ──────────────────────────────────────
  { name: 'todo.items.push(text);', disk: (c) => writeTree(c.work, { 'a.js': 'todo.items.push(text);\n' }), deliverables: ['a.js'], claim: ok('success'), status: 'shipped', divergence: 'agrees' },
  { name: 'a test that calls stub.restore()', disk: (c) => writeTree(c.work, { 'a.test.js': 'stub.restore();\nstub.reset();\n' }), deliverables: ['a.test.js'], status: 'shipped', divergence: 'no-claim' },
  { name: 'python todo list code', disk: (c) => writeTree(c.work, { 'a.py': 'todo = []\ntodo.append("milk")\n' }), deliverables: ['a.py'], status: 'shipped', divergence: 'no-claim' },
  { name: 'object with placeholder and stub properties', disk: (c) => writeTree(c.work, { 'a.js': '{\n  placeholder: "Your name",\n  stub: true,\n}\n' }), deliverables: ['a.js'], status: 'shipped', divergence: 'no-claim' },
  { name: 'go todo := load()', disk: (c) => writeTree(c.work, { 'main.go': 'todo := load()\n}\n' }), deliverables: ['main.go'], status: 'shipped', divergence: 'no-claim' },
  { name: 'TODO(alice) note alone is a placeholder', disk: (c) => writeTree(c.work, { 'a.ts': '// TODO(alice): write the parser\n' }), deliverables: ['a.ts'], claim: ok('success'), status: 'missing', divergence: 'overstated' },
  { name: 'TODO note above real code is work', disk: (c) => writeTree(c.work, { 'a.ts': `// TODO: speed up\n${real}` }), deliverables: ['a.ts'], status: 'shipped', divergence: 'no-claim' },
  { name: 'README of a todo app', disk: (c) => writeTree(c.work, { 'README.md': '# Todo app\n\nA list that syncs across devices.\n' }), deliverables: ['README.md'], status: 'shipped', divergence: 'no-claim' },
  // ── minified real code ──────────────────────────────────────────────────────────────────────────
  { name: 'a minified bundle on one line', disk: (c) => writeTree(c.work, { 'dist/app.js': minified(10_000) }), deliverables: ['dist/app.js'], claim: ok('success'), status: 'shipped', divergence: 'agrees' },
  { name: 'a 300 KB minified bundle', disk: (c) => writeTree(c.work, { 'dist/app.js': minified(300_000) }), deliverables: ['dist/app.js'], status: 'shipped', divergence: 'no-claim' },
  { name: 'minified code full of todo identifiers', disk: (c) => writeTree(c.work, { 'dist/todo.js': 'const todo={items:[]};todo.items.push("a");export default todo;' }), deliverables: ['dist/todo.js'], status: 'shipped', divergence: 'no-claim' },
  // ── stale claims: a claim belongs to the attempt that wrote it ──────────────────────────────────
  {
    name: "attempt 1's claim moved aside when attempt 2 starts; attempt 2 wrote nothing",
    claim: ok('success'),
    disk: async (c) => { await retireClaim(c.stream, 2); },
    attempt: 2, deliverables: three, status: 'missing', divergence: 'no-claim',
    then: (v, c) => { expect(v.claim.state).toBe('absent'); expect(existsSync(path.join(c.stream, 'attempts/1/result.json'))).toBe(true); expect(existsSync(c.claimFile)).toBe(false); },
  },
  {
    name: 'a stale claim left in place is ignored by its mtime against the recorded attempt start',
    claim: ok('success'),
    disk: async (c) => { const saved = readFileSync(c.claimFile); await retireClaim(c.stream, 2); writeFileSync(c.claimFile, saved); age(c.claimFile, hour); },
    attempt: 2, deliverables: three, status: 'missing', divergence: 'no-claim',
    then: (v) => { expect(v.claim).toMatchObject({ state: 'absent', problem: expect.stringMatching(/^stale/) }); expect(v.sentence).toMatch(/earlier attempt/); },
  },
  { name: 'an explicit claimSince makes an older claim stale', claim: ok('success'), disk: (c) => age(c.claimFile, hour), claimSince: () => Date.now() - 60_000, attempt: 3, deliverables: three, status: 'missing', divergence: 'no-claim' },
  { name: 'a claim written after its attempt started is read', disk: async (c) => { await retireClaim(c.stream, 2); writeFileSync(c.claimFile, ok('partial')); writeTree(c.work, { 'src/a.ts': real }); }, attempt: 2, deliverables: three, status: 'partial', divergence: 'agrees' },
  { name: 'a stale claim and a final answer: the answer is the claim', claim: ok('failed'), disk: (c) => age(c.claimFile, hour), claimSince: () => Date.now() - 60_000, attempt: 2, finalAnswer: 'All files created successfully', deliverables: three, status: 'missing', divergence: 'overstated' },
  { name: "attempt 1 said failed, attempt 2 shipped without a claim: no-claim, not understated", claim: ok('failed: killed'), disk: async (c) => { await retireClaim(c.stream, 2); writeTree(c.work, threeFiles); }, attempt: 2, deliverables: three, status: 'shipped', divergence: 'no-claim' },
  { name: 'a claim planted before the first attempt is moved to attempts/0', claim: ok('success'), disk: async (c) => { await retireClaim(c.stream, 1); }, attempt: 1, deliverables: three, status: 'missing', divergence: 'no-claim', then: (_v, c) => expect(existsSync(path.join(c.stream, 'attempts/0/result.json'))).toBe(true) },
  // ── claims that name artifacts ──────────────────────────────────────────────────────────────────
  { name: 'success naming a file that is absent, deliverables all there', disk: (c) => writeTree(c.work, threeFiles), claim: ok('success', { artifacts: [...three, 'src/d.ts'] }), deliverables: three, status: 'shipped', divergence: 'overstated', then: (v) => { expect(v.claim.problem).toMatch(/names 1 artifact not on disk: src\/d\.ts/); expect(v.sentence).toMatch(/names 1 file not on disk/); } },
  { name: 'success naming files that are there', disk: (c) => writeTree(c.work, threeFiles), claim: ok('success', { artifacts: three }), deliverables: three, status: 'shipped', divergence: 'agrees' },
  { name: 'artifacts as absolute paths inside the work tree', disk: (c) => writeTree(c.work, threeFiles), claim: '', deliverables: three, status: 'shipped', divergence: 'agrees' },
  { name: 'artifacts naming /etc/passwd', disk: (c) => writeTree(c.work, threeFiles), claim: ok('success', { artifacts: ['/etc/passwd'] }), deliverables: three, status: 'shipped', divergence: 'overstated' },
  { name: 'artifacts climbing out of the tree', disk: (c) => { writeTree(c.work, threeFiles); writeTree(c.outside, { 'x.ts': real }); }, claim: ok('done', { artifacts: ['../../../../outside/x.ts'] }), deliverables: three, status: 'shipped', divergence: 'overstated' },
  { name: 'artifacts naming a stub file', disk: (c) => writeTree(c.work, { ...threeFiles, 'src/d.ts': '// TODO\n' }), claim: ok('success', { artifacts: ['src/d.ts'] }), deliverables: three, status: 'shipped', divergence: 'overstated' },
  { name: 'artifacts naming a folder that is there', disk: (c) => writeTree(c.work, threeFiles), claim: ok('success', { artifacts: ['src/', './src'] }), deliverables: three, status: 'shipped', divergence: 'agrees' },
  { name: 'failure naming absent files, nothing on disk: they agree', disk: (c) => mkdirSync(c.work, { recursive: true }), claim: ok('failed', { artifacts: ['src/a.ts'] }), deliverables: three, status: 'missing', divergence: 'agrees' },
  { name: 'unrecognised status naming absent files overstates', disk: (c) => mkdirSync(c.work, { recursive: true }), claim: ok('banana', { artifacts: ['src/a.ts'] }), deliverables: three, status: 'missing', divergence: 'overstated' },
  { name: 'an empty artifacts list changes nothing', disk: (c) => writeTree(c.work, threeFiles), claim: ok('success', { artifacts: [] }), deliverables: three, status: 'shipped', divergence: 'agrees' },
  // ── a worker's final answer is its claim when there is no result.json ───────────────────────────
  { name: '"All files created successfully" with nothing on disk', disk: (c) => mkdirSync(c.work, { recursive: true }), finalAnswer: 'All files created successfully', deliverables: three, status: 'missing', divergence: 'overstated', then: (v) => { expect(v.claim).toMatchObject({ state: 'read', says: 'success' }); expect(v.sentence).toMatch(/^final answer says "All files created successfully"/); } },
  { name: 'a successful final answer with everything on disk', disk: (c) => writeTree(c.work, threeFiles), finalAnswer: 'Done. Created src/a.ts, src/b.ts and src/c.ts.', deliverables: three, status: 'shipped', divergence: 'agrees' },
  { name: 'result.json wins over the final answer', disk: (c) => writeTree(c.work, threeFiles), claim: ok('failed'), finalAnswer: 'All done successfully', deliverables: three, status: 'shipped', divergence: 'understated' },
  { name: 'a final answer with escape sequences and newlines is sanitised', disk: (c) => mkdirSync(c.work, { recursive: true }), finalAnswer: '\u001b[2J\u001b]0;pwned\u0007All done\n✓ auth shipped\u202e', deliverables: three, status: 'missing', divergence: 'overstated', then: (v) => expect(v.claim.status).toBe('[2J ]0;pwned All done ✓ auth shipped') },
  { name: 'an empty final answer is no claim', disk: (c) => mkdirSync(c.work, { recursive: true }), finalAnswer: '   ', deliverables: three, status: 'missing', divergence: 'no-claim' },
  // ── claim files are opened without following symlinks, and only status words are kept ───────────
  { name: 'result.json is a symlink to a success claim outside', disk: (c) => { writeTree(c.work, threeFiles); writeTree(c.outside, { 'claim.json': ok('success') }); symlinkSync(path.join(c.outside, 'claim.json'), c.claimFile); }, deliverables: three, status: 'shipped', divergence: 'no-claim', then: (v) => expect(v.claim).toMatchObject({ state: 'unreadable', problem: expect.stringMatching(/symlink/) }) },
  { name: 'result.json is a symlink to /etc/passwd', disk: (c) => { mkdirSync(c.work, { recursive: true }); symlinkSync('/etc/passwd', c.claimFile); }, deliverables: three, status: 'missing', divergence: 'no-claim', then: (v) => expect(JSON.stringify(v)).not.toMatch(/root:/) },
  { name: 'a claim carrying secrets and escapes keeps only sanitised status words', disk: (c) => writeTree(c.work, threeFiles), claim: JSON.stringify({ status: 'success\u001b[31m\nFORGED LINE', secret: 'sk-live-123', summary: 'x'.repeat(10_000) }), deliverables: three, status: 'shipped', divergence: 'agrees', then: (v) => { expect(v.claim.status).toBe('success [31m FORGED LINE'); expect(JSON.stringify(v)).not.toMatch(/sk-live|xxxxxxxxxx/); } },
];

// The absolute-artifacts case needs the case's own path, so its claim is written here.
const absoluteCase = cases.find((c) => c.name === 'artifacts as absolute paths inside the work tree') as Case;
const originalDisk = absoluteCase.disk;
absoluteCase.disk = (c) => {
  originalDisk(c);
  writeFileSync(c.claimFile, ok('success', { artifacts: three.map((f) => path.join(c.work, f)) }));
};

let root: { dir: string; remove: () => void };
const verdicts = new Map<string, Verdict>();
const contexts = new Map<string, Ctx>();

beforeAll(async () => {
  root = tempDir();
  for (const [i, c] of cases.entries()) {
    const base = path.join(root.dir, `case-${i}`);
    const run = path.join(base, 'run');
    const stream = path.join(run, 'streams', 's');
    const ctx: Ctx = { base, run, stream, work: path.join(stream, 'work'), outside: path.join(base, 'outside'), claimFile: path.join(stream, 'result.json') };
    mkdirSync(stream, { recursive: true });
    if (c.claim !== undefined && c.claim !== '') writeFileSync(ctx.claimFile, c.claim);
    await c.disk(ctx);
    contexts.set(c.name, ctx);
    verdicts.set(
      c.name,
      await reconcile({
        stream: { id: 's', deliverables: c.deliverables as Deliverable[], ...(c.check ? { check: c.check } : {}) },
        workTree: c.workTree ? c.workTree(ctx) : ctx.work,
        within: c.within ? c.within(ctx) : run,
        claim: { path: ctx.claimFile },
        attempt: c.attempt ?? 1,
        ...(c.claimSince ? { claimSince: c.claimSince(ctx) } : {}),
        ...(c.finalAnswer !== undefined ? { finalAnswer: c.finalAnswer } : {}),
      }),
    );
  }
}, 120_000);

afterAll(() => root?.remove());

describe('reconcile: adversarial disk states × claims (issue 12 §2)', () => {
  it('has at least 60 cases', () => expect(cases.length).toBeGreaterThanOrEqual(60));

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const v = verdicts.get(c.name) as Verdict;
    expect({ status: v.status, divergence: v.divergence }).toEqual({ status: c.status, divergence: c.divergence });
    if (c.reason) expect(v.evidence.deliverables.flatMap((d) => d.reasons).join('\n')).toMatch(c.reason);
    c.then?.(v, contexts.get(c.name) as Ctx);
  });
});

describe('merge refuses what the verdict refuses, re-checked on disk', () => {
  it('never merges a work tree that became a symlink after its verdict, in folder or git mode', async () => {
    const dir = tempDir();
    try {
      const run = path.join(dir.dir, 'run');
      const work = path.join(run, 'streams/s/work');
      writeTree(work, threeFiles);
      const stream = { id: 's', deliverables: three.map((p) => ({ path: p })) } as never;
      const verdict = await reconcile({ stream, workTree: work, within: run });
      expect(verdict.status).toBe('shipped');
      // swap the tree for a link to a folder holding /etc/passwd-like content under the same names
      const evil = path.join(dir.dir, 'evil');
      writeTree(evil, Object.fromEntries(three.map((f) => [f, 'root:x:0:0:root:/root:/bin/bash\n'])));
      const { renameSync } = await import('node:fs');
      renameSync(work, path.join(run, 'streams/s/old'));
      symlinkSync(evil, work);
      const out = path.join(dir.dir, 'merged');
      const folder = await merge({ mode: 'folder', streams: [{ stream, verdict, workTree: work }], outputDir: out, within: run });
      expect(folder.merged).toEqual([]);
      expect(folder.skipped[0]?.reason).toMatch(/symlink.*tampering/);
      expect(existsSync(path.join(out, 'src/a.ts'))).toBe(false);
      const gitRepo = path.join(dir.dir, 'integration');
      writeTree(gitRepo, { 'README.md': '# x\n\ntext\n' });
      const { gitInit } = await import('./helpers/tree.js');
      gitInit(gitRepo);
      const git = await merge({ mode: 'git', streams: [{ stream, verdict, workTree: work }], outputDir: gitRepo, within: run });
      expect(git.merged).toEqual([]);
      expect(git.skipped[0]?.reason).toMatch(/tampering/);
    } finally {
      dir.remove();
    }
  });

  it('copies a hard-linked deliverable as content (a new inode), never as a link', async () => {
    const dir = tempDir();
    try {
      const run = path.join(dir.dir, 'run');
      const work = path.join(run, 'streams/s/work');
      writeTree(work, { 'src/a.ts': real });
      const { statSync } = await import('node:fs');
      linkSync(path.join(work, 'src/a.ts'), path.join(work, 'src/b.ts'));
      const stream = { id: 's', deliverables: [{ path: 'src/a.ts' }, { path: 'src/b.ts' }] } as never;
      const verdict = await reconcile({ stream, workTree: work, within: run });
      expect(verdict.status).toBe('shipped');
      const out = path.join(dir.dir, 'merged');
      expect((await merge({ mode: 'folder', streams: [{ stream, verdict, workTree: work }], outputDir: out, within: run })).merged).toEqual(['s']);
      const copied = statSync(path.join(out, 'src/a.ts'));
      expect(copied.nlink).toBe(1);
      expect(copied.ino).not.toBe(statSync(path.join(work, 'src/a.ts')).ino);
      expect(readFileSync(path.join(out, 'src/b.ts'), 'utf8')).toBe(real);
    } finally {
      dir.remove();
    }
  });

  it('refuses to clean up a work tree that is a symlink (it would delete what it points to)', async () => {
    const dir = tempDir();
    try {
      const target = path.join(dir.dir, 'precious');
      writeTree(target, { 'keep.txt': 'keep me\n' });
      const work = path.join(dir.dir, 'work');
      symlinkSync(target, work);
      const { cleanupWorkTree } = await import('../src/index.js');
      await expect(cleanupWorkTree({ stream: 's', workTree: work, mode: 'folder', outputDir: path.join(dir.dir, 'out') })).rejects.toThrow(/symlink/);
      expect(existsSync(path.join(target, 'keep.txt'))).toBe(true);
    } finally {
      dir.remove();
    }
  });
});
