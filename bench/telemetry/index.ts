// Telemetry must never slow a command: the same short command, as a fresh process, with telemetry
// off vs telemetry aimed at servers that cannot answer (a closed local port: refused at once; a
// blackhole TCP server that accepts and never replies: only the client's own timeout ends it).
import { spawn } from 'node:child_process';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 15);
const command = fileURLToPath(new URL('./command.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

const sockets = new Set<Socket>();
const blackhole = createTcpServer((s) => {
  sockets.add(s); // accept, read nothing back, never answer
  s.on('error', () => {});
});
await new Promise<void>((r) => blackhole.listen(0, '127.0.0.1', r));
const blackholePort = (blackhole.address() as { port: number }).port;
const closed = createTcpServer();
await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
const closedPort = (closed.address() as { port: number }).port;
await new Promise<void>((r) => closed.close(() => r())); // now nothing listens there

const base = { ...process.env, GODMODE_TOKEN: 'gmmcp_benchtoken', GODMODE_SUPABASE_KEY: 'sb_publishable_bench', GODMODE_KEYRING: '0', DO_NOT_TRACK: '' };
const scenarios: Record<string, NodeJS.ProcessEnv> = {
  'telemetry off': { ...base, GODMODE_TELEMETRY: '0', GODMODE_SUPABASE_URL: `http://127.0.0.1:${blackholePort}` },
  'closed port': { ...base, GODMODE_TELEMETRY: '1', GODMODE_SUPABASE_URL: `http://127.0.0.1:${closedPort}` },
  'blackhole server': { ...base, GODMODE_TELEMETRY: '1', GODMODE_SUPABASE_URL: `http://127.0.0.1:${blackholePort}` },
};

function once(env: NodeJS.ProcessEnv): Promise<{ wallMs: number; inProcessMs: number; exitLagMs: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(tsx, [command], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallMs = performance.now() - t0;
      if (code !== 0) return reject(new Error(`command exited ${code}`));
      const reported = JSON.parse(out) as { inProcessMs: number; endEpochMs: number };
      // From the command's last line to the process being gone: a socket that keeps the loop alive shows here.
      const exitLagMs = performance.timeOrigin + performance.now() - reported.endEpochMs;
      resolve({ wallMs, inProcessMs: reported.inProcessMs, exitLagMs });
    });
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const results: Record<string, { wall: number[]; inProcess: number[]; cost: number[] }> = {};
for (const name of Object.keys(scenarios)) results[name] = { wall: [], inProcess: [], cost: [] };
await once(scenarios['telemetry off']!); // warm the tsx cache
// Interleave scenarios so background load hits them alike.
for (let i = 0; i < RUNS; i++) {
  for (const [name, env] of Object.entries(scenarios)) {
    const r = await once(env);
    results[name]!.wall.push(r.wallMs);
    results[name]!.inProcess.push(r.inProcessMs);
    results[name]!.cost.push(r.inProcessMs + r.exitLagMs);
  }
}

const off = results['telemetry off']!;
console.log(`bench:telemetry — ${RUNS} runs per scenario, each a fresh process (tsx), interleaved; load avg ${(await import('node:os')).loadavg()[0]!.toFixed(2)}`);
console.log('cost = time inside the command (track … flush) + time from its last line to process exit;');
console.log('wall = whole process incl. tsx startup (noisy on a shared box, shown for completeness).');
console.log('scenario             cost median   added vs off   ratio   | wall median');
for (const [name, r] of Object.entries(results)) {
  const added = median(r.cost) - median(off.cost);
  console.log(
    `${name.padEnd(18)}  ${median(r.cost).toFixed(1).padStart(8)} ms   ${name === 'telemetry off' ? '  baseline' : `${added >= 0 ? '+' : ''}${added.toFixed(1)} ms`.padStart(10)}   ${(median(r.cost) / median(off.cost)).toFixed(2).padStart(5)}   | ${median(r.wall).toFixed(0)} ms`,
  );
}
const worst = Math.max(...Object.entries(results).filter(([n]) => n !== 'telemetry off').map(([, r]) => median(r.cost) - median(off.cost)));
console.log(`worst added latency: ${worst.toFixed(1)} ms (target ≤ 100 ms) → ${worst <= 100 ? 'OK' : 'OVER TARGET'}`);

for (const s of sockets) s.destroy();
blackhole.close();
