// Journal benchmark: durable appends/s (1 writer, 16 concurrent writers with group commit) and replay of
// 1,000,000 entries. Baseline measured in the same run: one write + fdatasync per entry, by hand.
// Run: flock /tmp/godmode-bench.lock pnpm bench:journal
import { closeSync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parsePlan } from '../../packages/protocol/src/index.js';
import { createRun } from '../../packages/run-store/src/index.js';
import { formatEntryLine } from '../../packages/run-store/src/journal/entry-line.js';

const runs = 3;
const root = await mkdtemp(path.join(process.env.BENCH_DIR ?? tmpdir(), 'godmode-bench-journal-'));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const payload = (i: number) => ({
  worker: { stream: `s${i % 8}`, attempt: 1, pid: 4242 + (i % 8), startTime: '123456', cmdline: 'node worker.js', pgid: 4242 + (i % 8) },
  t: i,
  at: '2026-11-24T11:00:00.000Z',
  type: 'output',
  stream: 'stdout',
  bytes: 42,
  line: 'wrote src/feature.ts (42 lines)',
});

let fileNo = 0;
const benchPlan = parsePlan(
  `name: bench\nphases:\n  - id: p\n    streams:\n${Array.from({ length: 8 }, (_, i) => `      - id: s${i}\n        worker: { adapter: command, options: { command: "true" } }\n`).join('')}`,
  'bench.yaml',
);

/**
 * Appends/s with `writers` concurrent writers, each awaiting its append before the next. As the conductor
 * does it: a run directory, the lease held, every append fenced with its token (lease.json re-read per batch).
 */
async function appendRate(writers: number, total: number, fenced: boolean): Promise<{ rate: number; perBatch: number }> {
  const store = await createRun({ root, plan: benchPlan, planDir: root, runId: `append-${fileNo++}` });
  const lease = await store.lease.acquire({ holder: 'bench', ttlMs: 600_000 });
  const token = fenced ? lease?.token : undefined;
  const journal = store.journal;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < total) {
        const i = next++;
        await journal.append('worker.output', payload(i), token === undefined ? {} : { token });
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const { batches, entries } = journal.stats;
  await store.close();
  return { rate: total / seconds, perBatch: entries / batches };
}

/** The floor: one write + fdatasync per entry, synchronous, no journal logic. */
function rawRate(total: number): number {
  const file = path.join(root, `raw${fileNo++}.jsonl`);
  const fd = openSync(file, 'a');
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    writeSync(fd, formatEntryLine(i + 1, '2026-11-24T11:00:00.000Z', 'worker.output', 1, JSON.stringify(payload(i))));
    fdatasyncSync(fd);
  }
  closeSync(fd);
  return total / ((performance.now() - started) / 1000);
}

async function measure(label: string, fn: () => Promise<number> | number): Promise<number> {
  const xs: number[] = [];
  for (let r = 0; r < runs; r++) xs.push(await fn());
  const m = median(xs);
  console.log(`${label.padEnd(58)} median ${fmt(m).padStart(9)}   (runs: ${xs.map(fmt).join(', ')})`);
  return m;
}

// JOURNAL_BENCH=appends or =replay runs one half only.
const only = process.env.JOURNAL_BENCH;
console.log(`journal bench — ${runs} runs each, files under ${root}`);
if (only !== 'replay') {
  console.log('');
  console.log('durable appends (each resolves after fdatasync):');
  const raw = await measure('baseline: write + fdatasync per entry, by hand  [appends/s]', () => rawRate(2_000));
  const one = await measure('Journal, 1 writer                               [appends/s]', async () => (await appendRate(1, 2_000, true)).rate);
  const perBatch: number[] = [];
  const sixteen = await measure('Journal, 16 concurrent writers (group commit)   [appends/s]', async () => {
    const r = await appendRate(16, 30_000, true);
    perBatch.push(r.perBatch);
    return r.rate;
  });
  const sixteenNoToken = await measure('Journal, 16 concurrent writers, no token       [appends/s]', async () => (await appendRate(16, 30_000, false)).rate);
  console.log(`  entries per write+fdatasync with 16 writers: median ${median(perBatch).toFixed(1)}`);
  console.log(`  (fdatasync latency of this disk right now: ~${(1e6 / raw).toFixed(0)} us; 16 writers can do at most 16 per fdatasync)`);
  console.log(`  ratio 1 writer / baseline:            ${(one / raw).toFixed(2)}x`);
  console.log(`  ratio 16 writers / baseline:          ${(sixteen / raw).toFixed(2)}x`);
  console.log(`  ratio 16 writers / 1 writer:          ${(sixteen / one).toFixed(2)}x`);
  console.log(`  target >= 20,000 appends/s with 16 writers: ${sixteen >= 20_000 ? 'met' : 'NOT met'}`);
  void sixteenNoToken;
}

if (only !== 'appends') {
  // Replay: a 1,000,000-entry journal of a realistic run (mostly worker output), written directly.
  const entries = 1_000_000;
  const store = await createRun({ root, plan: benchPlan, planDir: root, runId: 'replay' });
  {
    const chunks: string[] = [];
    let text = '';
    for (let i = 1; i <= entries; i++) {
      text += formatEntryLine(i, '2026-11-24T11:00:00.000Z', i === 1 ? 'run.started' : 'worker.output', 1, JSON.stringify(i === 1 ? {} : payload(i)));
      if (text.length > 8_000_000) {
        chunks.push(text);
        text = '';
      }
    }
    chunks.push(text);
    await writeFile(store.layout.journalFile, chunks.join(''));
}
const size = (await import('node:fs')).statSync(store.layout.journalFile).size;
console.log('');
console.log(`replay of ${fmt(entries)} entries (${(size / 1e6).toFixed(0)} MB):`);
const readMs = await measure('Journal.read() (parse every line into entries)   [ms]', async () => {
  const t = performance.now();
  const { entries: read } = await store.journal.read();
  if (read.length !== entries) throw new Error(`read ${read.length} entries`);
  return performance.now() - t;
});
const replayMs = await measure('RunStore.replay() (stream into RunState)        [ms]', async () => {
  const t = performance.now();
  const state = await store.replay();
  if (state.lastSeq !== entries || state.problems.length > 0) throw new Error('bad replay');
  return performance.now() - t;
});
console.log(`  target < 3,000 ms: read ${readMs < 3000 ? 'met' : 'NOT met'}, replay ${replayMs < 3000 ? 'met' : 'NOT met'}`);
await store.close();
}
await rm(root, { recursive: true, force: true });
