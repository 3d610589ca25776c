import { Errors, flush, run } from '@oclif/core';

/**
 * The CLI: oclif dispatches to one command, loaded on its own (src/commands.ts); the `prerun` hook
 * (src/hooks/prerun.ts) wires the conductor into it first. oclif's own errors (exits, bad flags) keep their
 * codes; anything else that escapes a command — a plugin's command not built on GodmodeCommand — is a bug:
 * exit 70, the details written to a report file (credentials redacted), the stack on stderr only with DEBUG.
 */
export async function main(binUrl: string): Promise<void> {
  try {
    await run(process.argv.slice(2), binUrl);
    await flush();
  } catch (error) {
    const e = error as Error & { oclif?: { exit?: number } };
    if (e?.oclif?.exit !== undefined) return Errors.handle(e);
    const { writeBugReport, bugNotice } = await import('@godmode/auth');
    const { readFileSync } = await import('node:fs');
    const version = (JSON.parse(readFileSync(new URL('../package.json', binUrl), 'utf8')) as { version: string }).version;
    const report = await writeBugReport(error, { argv: process.argv.slice(2), version });
    process.stderr.write(`Error: ${bugNotice(report, { debug: Boolean(process.env.DEBUG) })}\n`);
    process.exitCode = 70;
  }
}
