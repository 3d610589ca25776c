import { Flags } from '@oclif/core';
import { GodmodeCommand } from '../../base-command.js';
import { ExitCode } from '../../exit-codes.js';

/**
 * The bounds and defaults of the agent's settings: the same as @godmode/fleet's `fleetSettingRanges` (agent.test.ts
 * pins them equal), written out here so that loading the command list never loads the fleet package and pg-boss.
 * oclif refuses a value outside them naming the flag, exit 2.
 */
export const agentSettingRanges = {
  slots: { min: 1, max: 256, default: 2 },
  pollMs: { min: 100, max: 60_000, default: 500 },
  superviseEverySeconds: { min: 1, max: 600, default: 10 },
  cpuCeilingPercent: { min: 1, max: 100, default: 80 },
  memoryFloorPercent: { min: 0, max: 90, default: 10 },
} as const;
const r = agentSettingRanges;
const range = (name: keyof typeof r) => ({ min: r[name].min, max: r[name].max });

export class FleetAgent extends GodmodeCommand {
  static override summary = 'Run this machine as a fleet agent: take stream attempts from the shared queue and push their work as snapshot commits.';
  static override description = `A daemon for one machine of a fleet. It takes a stream attempt from the queue (pg-boss on the fleet's PostgreSQL) only when this machine's governor admits a worker and a slot is free, fetches the attempt's base from the shared git remote, runs the worker in a local worktree under this machine's supervisor, pushes snapshot commits to refs/godmode/<run-id>/snapshots/<stream>/<attempt> on the remote whenever the disk moved, and completes the job with its own verdict and the final commit (the conductor re-judges that commit). Its heartbeat is kept only while the worker is alive. Runs until Ctrl-C or SIGTERM; each running attempt is then stopped and its job handed back to the queue.`;
  static override examples = [
    { description: 'Create the schemas once, then serve with 2 slots', command: '<%= config.bin %> fleet agent --db postgres://godmode:secret@db.internal:5432/godmode --migrate' },
    { description: 'Serve from an existing clone of the shared remote', command: '<%= config.bin %> fleet agent --db postgres://godmode:secret@db.internal:5432/godmode --slots 4 --repo ~/src/app' },
    { description: 'A machine shared with other work: at most 50 % of its CPU, ask the queue every 2 s', command: '<%= config.bin %> fleet agent --db postgres://godmode:secret@db.internal:5432/godmode --cpu-ceiling 50 --poll-ms 2000' },
  ];
  static override flags = {
    db: Flags.string({ description: 'PostgreSQL URL of the fleet (postgres://USER:PASSWORD@HOST:PORT/DATABASE).', required: true, env: 'GODMODE_FLEET_DB' }),
    slots: Flags.integer({ description: 'Most attempts at once on this machine (the governor may admit fewer).', ...range('slots'), default: r.slots.default }),
    repo: Flags.string({ description: 'A clone of the shared remote to cut worktrees from (default: the agent makes one in its home).' }),
    home: Flags.string({ description: "The agent's folder for worktrees, logs and claims (default: ~/.godmode/fleet/<name>)." }),
    name: Flags.string({ description: 'How this agent is named in the queue and the journal (default: <host>-<pid>).' }),
    migrate: Flags.boolean({ description: "Create or update the fleet's schemas (godmode and pg-boss) in the database, then serve.", default: false }),
    'cpu-ceiling': Flags.integer({ description: `Share of this machine's CPU (percent) the governor keeps it under (default ${r.cpuCeilingPercent.default}).`, ...range('cpuCeilingPercent') }),
    'memory-floor': Flags.integer({ description: `No worker starts while less than this share of memory (percent) is available (default ${r.memoryFloorPercent.default}).`, ...range('memoryFloorPercent') }),
    'poll-ms': Flags.integer({ description: `How often an idle agent asks the queue for work, in milliseconds (default ${r.pollMs.default}).`, ...range('pollMs') }),
    'supervise-every': Flags.integer({ description: `Seconds between this agent's checks for attempts whose agent went silent, so they move (default ${r.superviseEverySeconds.default}).`, ...range('superviseEverySeconds') }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(FleetAgent);
    // Loaded only here: no other command pays for pg-boss and the Postgres client.
    const { FleetAgent: Agent } = await import('@godmode/fleet');
    const agent = new Agent({
      db: flags.db,
      slots: flags.slots,
      repo: flags.repo ?? null,
      migrate: flags.migrate,
      ...(flags.home ? { home: flags.home } : {}),
      ...(flags.name ? { name: flags.name } : {}),
      ...(flags['supervise-every'] !== undefined ? { superviseEverySeconds: flags['supervise-every'] } : {}),
      ...(flags['poll-ms'] !== undefined ? { pollMs: flags['poll-ms'] } : {}),
      supervisor: {
        ...(flags['cpu-ceiling'] !== undefined ? { cpuCeiling: flags['cpu-ceiling'] / 100 } : {}),
        ...(flags['memory-floor'] !== undefined ? { memoryFloor: flags['memory-floor'] / 100 } : {}),
      },
      log: (line) => {
        this.emit({ type: 'log', line });
        if (!this.jsonMode) this.note(line);
      },
    });
    await agent.start();
    this.emit({ type: 'ready', agent: agent.name, home: agent.home, clone: agent.clone, slots: flags.slots });
    this.print(`godmode fleet agent ${agent.name} ready (${flags.slots} slot(s)); Ctrl-C stops it and hands its attempts back.`);
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    await agent.stop();
    this.emit({ type: 'stopped', agent: agent.name, signal });
    if (signal === 'SIGINT') this.done(ExitCode.interrupted);
  }
}
