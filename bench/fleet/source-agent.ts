// A fleet agent from the workspace's source (packages/fleet/src), for iterating on the agent without rebuilding
// the CLI bundle: `node --import tsx bench/fleet/source-agent.ts <name> <home> <db> <slots> [cpu-ceiling%]`.
// Prints the same JSON lines as `godmode fleet agent --json` ("ready", "log"). The benchmark's figures come
// from the real binary unless GODMODE_BENCH_FLEET_SOURCE=1.
import { FleetAgent } from '../../packages/fleet/src/index.js';

const [name, home, db, slots = '2', ceiling = '100'] = process.argv.slice(2);
const agent = new FleetAgent({
  db: db!,
  slots: Number(slots),
  repo: null,
  migrate: false,
  name: name!,
  home: home!,
  superviseEverySeconds: 2,
  supervisor: { cpuCeiling: Number(ceiling) / 100 },
  log: (line) => process.stdout.write(`${JSON.stringify({ type: 'log', line })}\n`),
});
await agent.start();
process.stdout.write(`${JSON.stringify({ type: 'ready', agent: agent.name })}\n`);
await new Promise<void>((resolve) => {
  process.once('SIGINT', () => resolve());
  process.once('SIGTERM', () => resolve());
});
await agent.stop();
