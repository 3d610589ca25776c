import { Args, Flags } from '@oclif/core';
import { terminalText } from '@godmode/protocol';
import { openRun, resolveRun, runsRoot, type RunState } from '@godmode/run-store';
import { GodmodeCommand } from '../../base-command.js';
import { paint } from '../../render/color.js';
import { renderTable } from '../../render/table.js';
import { writeStdout } from '../../render/stdout.js';

export class OrchestraStatus extends GodmodeCommand {
  static override summary = "Replay a run's journal and show each stream's state and verdict.";
  static override description = 'Reads only the run directory (the journal and verdict files); never touches a running conductor.';
  static override examples = [
    { description: 'The latest run', command: '<%= config.bin %> orchestra status' },
    { description: 'A given run, as JSON', command: '<%= config.bin %> orchestra status 20261124-101500-demo-ab12 --json' },
    { description: 'A fleet run, from any machine (no run folder needed)', command: '<%= config.bin %> orchestra status 20261124-101500-demo-ab12 --fleet postgres://user@db.internal/fleet' },
  ];
  static override args = { run: Args.string({ description: 'Run id or run directory (default: the latest run).', ignoreStdin: true }) };
  static override flags = {
    cwd: Flags.string({ description: 'Project directory whose .godmode/runs holds the run.', default: process.cwd() }),
    fleet: Flags.string({
      description: "Read a fleet run from the fleet's PostgreSQL database (where its conductor publishes the journal) instead of a run folder.",
      env: 'GODMODE_FLEET_DB',
      helpValue: '<db-url>',
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(OrchestraStatus);
    if (flags.fleet) {
      // Loaded for --fleet only: the database client and the published journal's reader stay out of a plain `status`.
      const { readFleetRun } = await import('./fleet-db.js');
      const { state, database } = await readFleetRun(flags.fleet, args.run);
      this.show(state, null, database);
      return;
    }
    const dir = await resolveRun(runsRoot(flags.cwd), args.run);
    const store = await openRun(dir);
    try {
      this.show(await store.replay(), dir, null);
    } finally {
      await store.close();
    }
  }

  private show(state: RunState, dir: string | null, database: string | null): void {
    const streams = Object.values(state.streams).map((s) => ({
      stream: s.id,
      phase: s.phase,
      state: s.state,
      attempts: s.attempts.length,
      verdict: s.verdict?.status ?? null,
      divergence: s.verdict?.divergence ?? null,
      sentence: s.verdict?.sentence ?? null,
      /** Why its latest attempt failed, in the worker's words (not logged in, API error, usage limit). */
      failure: s.attempts.at(-1)?.failure ?? null,
      /** While held by an adapter's admission hold (a usage limit with a reset time): when attempts may start again. */
      heldUntil: s.state === 'held' ? (s.heldUntil ?? null) : null,
    }));
    if (this.jsonMode) {
      writeStdout(JSON.stringify({ run: state.runId, plan: state.planName, status: state.status, runDir: dir, ...(database ? { database } : {}), streams, problems: state.problems }) + '\n');
      return;
    }
    this.print(`run ${state.runId} — plan "${state.planName}" — ${state.status}${database ? ` — from ${database}` : ''}`);
    this.print(
      renderTable(
        ['stream', 'phase', 'state', 'attempts', 'verdict', 'divergence'],
        streams.map((s) => [
          s.stream,
          s.phase,
          s.heldUntil ? `held until ${s.heldUntil}` : s.state,
          String(s.attempts),
          s.verdict ? paint(s.verdict === 'shipped' ? 'green' : s.verdict === 'partial' ? 'yellow' : 'red', s.verdict) : '—',
          s.divergence ?? '—',
        ]),
      ),
    );
    for (const s of streams) if (s.failure && s.verdict !== 'shipped') this.print(`${paint('red', '!')} ${s.stream} attempt ${s.attempts} failed: ${terminalText(s.failure)}`);
    for (const problem of state.problems) this.note(`warning: ${terminalText(problem)}`);
  }
}
