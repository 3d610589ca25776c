// Entry of a detached conductor: `node daemon.js <runDir> <fresh|resume>`. Its stdout is the run's conductor.log.
import { openRun } from '@godmode/run-store';
import { conductRun } from '../services.js';

const [runDir, mode = 'fresh'] = process.argv.slice(2);
if (!runDir) {
  process.stderr.write('usage: daemon.js <runDir> [fresh|resume]\n');
  process.exit(2);
}
const controller = new AbortController();
process.on('SIGTERM', () => controller.abort());
process.on('SIGINT', () => controller.abort());
const store = await openRun(runDir);
try {
  const outcome = await conductRun(
    store,
    mode === 'resume' ? 'resume' : 'fresh',
    { onEvent: (event) => process.stdout.write(JSON.stringify({ at: new Date().toISOString(), ...event }) + '\n'), signal: controller.signal },
    mode === 'resume' ? 30_000 : 0,
  );
  process.stdout.write(JSON.stringify({ type: 'outcome', ...outcome, verdicts: undefined }) + '\n');
} catch (error) {
  process.stdout.write(JSON.stringify({ type: 'error', message: (error as Error).message }) + '\n');
  process.exitCode = 1;
} finally {
  await store.close();
}
