import { Flags } from '@oclif/core';
import { terminalText } from '@godmode/protocol';
import { listRuns, runsRoot } from '@godmode/run-store';
import { GodmodeCommand } from '../../base-command.js';
import { renderTable } from '../../render/table.js';
import { writeStdout } from '../../render/stdout.js';

export class OrchestraLs extends GodmodeCommand {
  static override summary = 'List runs: state, who conducts, age.';
  static override examples = [
    { description: 'All runs of this project', command: '<%= config.bin %> orchestra ls' },
    { description: 'As JSON', command: '<%= config.bin %> orchestra ls --json' },
    { description: 'The fleet runs in a fleet database, from any machine', command: '<%= config.bin %> orchestra ls --fleet postgres://user@db.internal/fleet' },
  ];
  static override flags = {
    cwd: Flags.string({ description: 'Project directory whose .godmode/runs holds the runs.', default: process.cwd() }),
    fleet: Flags.string({
      description: "List the fleet runs published to the fleet's PostgreSQL database instead of this project's run folders.",
      env: 'GODMODE_FLEET_DB',
      helpValue: '<db-url>',
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(OrchestraLs);
    if (flags.fleet) {
      // Loaded for --fleet only: the database client and the published journal's reader stay out of a plain `ls`.
      const { listFleetRuns } = await import('./fleet-db.js');
      const { runs, database } = await listFleetRuns(flags.fleet);
      if (this.jsonMode) {
        writeStdout(JSON.stringify({ database, runs }) + '\n');
        return;
      }
      if (runs.length === 0) {
        this.print(`No fleet runs in ${database} yet. Start one with \`godmode orchestra run <plan> --fleet <db-url>\`.`);
        return;
      }
      this.print(renderTable(['run', 'state', 'conductor host', 'age'], runs.map((r) => [r.id, r.state, terminalText(r.host), age(r.startedAt)])));
      return;
    }
    const runs = await listRuns(runsRoot(flags.cwd));
    if (this.jsonMode) {
      writeStdout(JSON.stringify({ runs }) + '\n');
      return;
    }
    if (runs.length === 0) {
      this.print('No runs yet. Start one with `godmode orchestra run <plan>` or `godmode orchestra demo`.');
      return;
    }
    this.print(renderTable(['run', 'state', 'holder', 'age'], runs.map((r) => [r.id, r.state, r.holder ?? '—', age(r.startedAt)])));
  }
}

function age(iso: string | null | undefined): string {
  if (!iso) return '—';
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.round(s / 60)}m`;
  if (s < 86_400) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86_400)}d`;
}
