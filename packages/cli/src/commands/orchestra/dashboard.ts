import { spawn } from 'node:child_process';
import { Args, Flags } from '@oclif/core';
import { resolveRun, runsRoot } from '@godmode/run-store';
import { GodmodeCommand } from '../../base-command.js';

export class OrchestraDashboard extends GodmodeCommand {
  static override summary = 'A live dashboard in the browser: every stream, worker chart, pause, verdict and the receipt, read-only.';
  static override description = `Serves one page on 127.0.0.1 for the runs under .godmode/runs and follows the chosen run's journal live (server-sent events). Read-only: it never signals a worker or writes to a run. The printed URL carries a random token; requests without it, or addressed to another host name, are refused. Runs until Ctrl-C.`;
  static override examples = [
    { description: 'The latest run', command: '<%= config.bin %> orchestra dashboard' },
    { description: 'A given run on a fixed port, opened in the browser', command: '<%= config.bin %> orchestra dashboard 20261124-101500-demo-ab12 --port 4777 --open' },
  ];
  static override args = { run: Args.string({ description: 'Run id or directory to show first (default: the latest run).', ignoreStdin: true }) };
  static override flags = {
    cwd: Flags.string({ description: 'Project directory whose .godmode/runs holds the runs.', default: process.cwd() }),
    port: Flags.integer({ description: 'Port on 127.0.0.1 (default: a free one).', min: 0, max: 65_535, default: 0 }),
    open: Flags.boolean({ description: 'Open the page in the default browser.', default: false }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(OrchestraDashboard);
    const root = runsRoot(flags.cwd);
    const runDir = args.run === undefined ? null : await resolveRun(root, args.run);
    // Loaded only here: no other command pays for the server or the page.
    const { startDashboard } = await import('@godmode/dashboard');
    const dashboard = await startDashboard({ root, ...(runDir ? { extraRuns: [runDir] } : {}) });
    const runId = runDir?.split(/[\\/]/).at(-1);
    const url = runId ? `${dashboard.url}&run=${encodeURIComponent(runId)}` : dashboard.url;
    this.emit({ type: 'listening', url, port: dashboard.port });
    this.print(`godmode dashboard: ${url}`);
    this.print('Read-only; Ctrl-C stops the page, never the run.');
    if (flags.open) openBrowser(url);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await dashboard.close();
  }
}

function openBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(command, [url], { detached: true, stdio: 'ignore' });
    child.on('error', () => process.stderr.write(`Could not start ${command}; open the URL above yourself.\n`));
    child.unref();
  } catch {
    process.stderr.write(`Could not start ${command}; open the URL above yourself.\n`);
  }
}
