// Reconciler benchmark: a generated work tree of 50,000 files plus a 20,000-file node_modules (gitignored, and
// skipped by the reconciler), 200 deliverables (180 paths + 20 globs with minimum counts), committed with git.
// Anchor measured in the same run: `git status --porcelain` on the same tree.
// Figures: first reconcile (empty hash cache) vs the anchor, and a repeat reconcile of the unchanged tree with
// the hash cache. Medians of RUNS (default 5).
// Run: flock /tmp/godmode-bench.lock pnpm bench:reconcile
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { Deliverable } from '../../packages/protocol/src/index.js';
import { HashCache, reconcile } from '../../packages/reconciler/src/index.js';

const runs = Number(process.env.RUNS ?? 5);
const files = 50_000;
const nodeModulesFiles = 20_000;
// BENCH_TREE=<dir> keeps the generated tree there between runs (generated only when missing).
const kept = process.env.BENCH_TREE;
const root = kept ?? mkdtempSync(path.join(process.env.BENCH_DIR ?? tmpdir(), 'godmode-bench-reconcile-'));
const work = path.join(root, 'work');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const ms = (n: number) => `${n.toFixed(1)} ms`;

function generate(reuse: boolean): Deliverable[] {
  const body = (i: number) => `export function f${i}(a: number): number {\n  return a * ${i} + ${i % 7};\n}\n`;
  // 50 packages × 20 modules × 50 files = 50,000 files in 1,000 folders
  for (let p = 0; p < (reuse ? 0 : 50); p++) {
    for (let m = 0; m < 20; m++) {
      const dir = path.join(work, 'packages', `p${p}`, 'src', `mod${m}`);
      mkdirSync(dir, { recursive: true });
      for (let f = 0; f < 50; f++) {
        const i = (p * 20 + m) * 50 + f;
        writeFileSync(path.join(dir, `f${i}.ts`), body(i));
      }
    }
  }
  // 20,000 dependency files in 400 folders: must never be searched
  for (let d = 0; d < (reuse ? 0 : 400); d++) {
    const dir = path.join(work, 'node_modules', `dep${d}`, 'lib');
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < 50; f++) writeFileSync(path.join(dir, `m${f}.js`), `module.exports = ${f};\n`);
  }
  if (!reuse) writeFileSync(path.join(work, '.gitignore'), 'node_modules/\n');
  const deliverables: Deliverable[] = [];
  for (let k = 0; k < 180; k++) {
    const i = k * 277 % files;
    const p = Math.floor(i / 1000);
    const m = Math.floor((i % 1000) / 50);
    deliverables.push({ path: `packages/p${p}/src/mod${m}/f${i}.ts` });
  }
  for (let g = 0; g < 20; g++) deliverables.push({ glob: `packages/p${g * 2}/src/mod${g % 20}/*.ts`, min: 40 });
  return deliverables;
}

function git(...args: string[]): void {
  execFileSync('git', args, { cwd: work, stdio: 'ignore', env: { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b' } });
}

function gitStatusMs(): number {
  const t = performance.now();
  const r = spawnSync('git', ['status', '--porcelain'], { cwd: work, encoding: 'utf8' });
  const elapsed = performance.now() - t;
  if (r.status !== 0) throw new Error(`git status failed: ${r.stderr}`);
  return elapsed;
}

try {
  let t = performance.now();
  const reuse = kept !== undefined && existsSync(path.join(work, '.git'));
  const deliverables = generate(reuse);
  if (!reuse) {
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'generated');
  }
  console.log(`generated ${files.toLocaleString('en-US')} files + ${nodeModulesFiles.toLocaleString('en-US')} in node_modules, committed, in ${ms(performance.now() - t)}`);
  const stream = { id: 'bench', deliverables };
  gitStatusMs(); // warm the page cache and the index once for everyone

  const statusTimes: number[] = [];
  const firstTimes: number[] = [];
  const firstNoGitTimes: number[] = [];
  const repeatTimes: number[] = [];
  const firstCpu: number[] = [];
  const repeatCpu: number[] = [];
  const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
  let present = 0;
  for (let r = 0; r < runs; r++) {
    statusTimes.push(gitStatusMs());
    t = performance.now();
    let cpu = process.cpuUsage();
    const first = await reconcile({ stream, workTree: work, cache: new HashCache() });
    firstTimes.push(performance.now() - t);
    firstCpu.push(cpuMs(process.cpuUsage(cpu)));
    present = first.deliverables.present;
    if (first.status !== 'shipped') throw new Error(`expected shipped, got ${first.status}: ${first.sentence}`);
    t = performance.now();
    await reconcile({ stream, workTree: work, cache: new HashCache(), git: false });
    firstNoGitTimes.push(performance.now() - t);
  }
  const cache = new HashCache();
  await reconcile({ stream, workTree: work, cache });
  for (let r = 0; r < runs; r++) {
    t = performance.now();
    const cpu = process.cpuUsage();
    await reconcile({ stream, workTree: work, cache });
    repeatTimes.push(performance.now() - t);
    repeatCpu.push(cpuMs(process.cpuUsage(cpu)));
  }
  const anchor = median(statusTimes);
  const first = median(firstTimes);
  const firstNoGit = median(firstNoGitTimes);
  const repeat = median(repeatTimes);
  console.log(`deliverables: ${deliverables.length} (${present} present), hashed files: ${cache.size}`);
  console.log(`runs: ${runs} each; medians (wall clock; "cpu" = this process's CPU time, git children excluded); load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores`);
  console.log(`anchor  git status --porcelain                 ${ms(anchor)}`);
  console.log(`first   reconcile (empty hash cache, with git evidence) ${ms(first)}  ratio ${(first / anchor).toFixed(2)}x  (target <= 1.00x)  cpu ${ms(median(firstCpu))}`);
  console.log(`        reconcile (empty hash cache, no git evidence)   ${ms(firstNoGit)}  ratio ${(firstNoGit / anchor).toFixed(2)}x`);
  console.log(`repeat  reconcile (hash cache, unchanged tree)  ${ms(repeat)}  (target < 100 ms)  cpu ${ms(median(repeatCpu))}`);
} finally {
  if (kept === undefined) rmSync(root, { recursive: true, force: true });
}
