// What the checks beyond the schema cost on a large repository: a phase of 16 streams with 3 owns: globs each,
// against a listing of 20,000 files (synthetic, in memory: the rule's cost, not git's). Baseline: the schema
// alone (parsePlan) on the same plan, in the same run. Also: the per-pair scan of the file list that the
// overlap rule replaced (each pair of globs tested against every file). Medians of 9 runs (the slow per-pair scan: one run).
//   node --import tsx bench/plan-validate/index.ts
import { parsePlan } from '../../packages/protocol/src/index.js';
import picomatch from '../../packages/cli/node_modules/picomatch/index.js';
import { globsOverlap } from '../../packages/cli/src/authoring/glob-overlap.js';
import { overlapRule } from '../../packages/cli/src/authoring/rules/overlap-rule.js';

const STREAMS = 16;
const files: string[] = [];
for (let p = 0; p < 100; p++) for (let f = 0; f < 200; f++) files.push(`packages/p${p}/src/dir${f % 25}/file${f}.ts`);
const streams = Array.from({ length: STREAMS }, (_, i) => ({
  id: `s${i}`,
  worker: { adapter: 'command', options: { command: 'true' } },
  owns: [`packages/p${i}/**`, `packages/p${i + 50}/src/**/*.ts`, `notes/s${i}.md`],
}));
const text = JSON.stringify({ name: 'bench', phases: [{ id: 'build', parallelism: STREAMS, streams }] });

async function median(run: () => unknown | Promise<unknown>, times = 9, warmUp = true): Promise<number> {
  const out: number[] = [];
  if (warmUp) await run();
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await run();
    out.push(performance.now() - start);
  }
  out.sort((a, b) => a - b);
  return out[Math.floor(out.length / 2)] as number;
}

const plan = parsePlan(text, 'bench.json');
const context = { file: 'bench.json', plan, raw: {}, planDir: '/', repoDir: '/', env: {}, existingFiles: async () => files };
const schema = await median(() => parsePlan(text, 'bench.json'));
const rule = await median(() => overlapRule(context));
const perPair = await median(() => {
  const globs = streams.map((s) => s.owns);
  for (let a = 0; a < globs.length; a++)
    for (let b = 0; b < a; b++)
      for (const x of globs[a]!)
        for (const y of globs[b]!) {
          if (globsOverlap(x, y) !== undefined) continue;
          const mx = picomatch(x, { dot: true });
          const my = picomatch(y, { dot: true });
          files.some((f) => mx(f) && my(f));
        }
}, 1, false);
console.log(`files ${files.length}, streams ${STREAMS}, globs ${STREAMS * 3}, pairs of streams ${(STREAMS * (STREAMS - 1)) / 2}`);
console.log(`schema only (baseline)      ${schema.toFixed(1)} ms`);
console.log(`overlap rule (files once)   ${rule.toFixed(1)} ms   ${(rule / schema).toFixed(1)}× the schema`);
console.log(`per-pair file scan (before) ${perPair.toFixed(1)} ms   ${(perPair / rule).toFixed(1)}× the rule`);
