// A stand-in for a short godmode command, run as its own process by index.ts: it records telemetry
// the way a command would, does a little work, flushes, and exits NATURALLY (no process.exit), so
// a socket left hanging by telemetry would show up as added wall time.
import { Telemetry, openAccount } from '../../packages/auth/src/index.js';

const started = performance.now();
const account = openAccount({ onWarning: () => {} });
const telemetry = new Telemetry(account);
telemetry.track('command', { command: 'whoami', flags: ['json'] });
let x = 0;
for (let i = 0; i < 200_000; i++) x += Math.sqrt(i);
telemetry.track('command_done', { command: 'whoami', exitCode: 0, work: Math.round(x) % 7 });
await telemetry.flush();
process.stdout.write(JSON.stringify({ inProcessMs: performance.now() - started, endEpochMs: performance.timeOrigin + performance.now() }) + '\n');
