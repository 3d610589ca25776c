// Child process: appends a 16-stream run's worker entries at the conductor's pace (per stream: two samples,
// five outputs, one file write a second) for `seconds`, then exits. Args: <runDir> <streams> <seconds>.
import { openRun } from '../../packages/run-store/src/index.js';
import { workerEntry } from './synthetic-run.js';

const [runDir, streamsArg, secondsArg] = process.argv.slice(2);
const streams = Number(streamsArg);
const store = await openRun(runDir!);
const end = Date.now() + Number(secondsArg) * 1000;
let k = 1_000_000;
while (Date.now() < end) {
  // 8 entries per stream per second, spread: one entry of each stream every 125 ms.
  await Promise.all(Array.from({ length: streams }, (_, i) => store.journal.append(...Object.values(workerEntry(i, k)) as [string, unknown])));
  k++;
  await new Promise((r) => setTimeout(r, 125));
}
await store.close();
