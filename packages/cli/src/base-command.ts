import { Command, Flags, type Interfaces } from '@oclif/core';
import { EnvironmentError, GodmodeError, validateForShortLivedProcess } from '@godmode/protocol';
import { ExitCode } from './exit-codes.js';
import { paint } from './render/color.js';
import { recordCommand } from './telemetry-hook.js';
import { writeStdout } from './render/stdout.js';

export type GodmodeFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof GodmodeCommand)['baseFlags'] & T['flags']>;

/**
 * Base of every godmode command: a global `--json` flag (NDJSON events for long-running commands,
 * one JSON document for the others), plain text otherwise, and one place that turns errors into a
 * clear message and a meaningful exit code — never a stack trace for something the user can fix.
 */
export abstract class GodmodeCommand extends Command {
  static override baseFlags = {
    json: Flags.boolean({ description: 'Print machine-readable JSON (NDJSON events for long-running commands).', default: false }),
  };

  protected jsonMode = false;
  /** Monotonic start time: `process.hrtime` rather than `performance`, whose first use loads Node's perf_hooks (≈ 1.7 ms of a start). */
  private startedAt = 0n;

  override async init(): Promise<void> {
    // Most commands live for a fraction of a second: zod's JIT would cost more than it saves.
    validateForShortLivedProcess();
    this.jsonMode = this.argv.includes('--json');
    this.startedAt = process.hrtime.bigint();
    await super.init();
  }

  protected override async finally(error: Error | undefined): Promise<unknown> {
    const exitCode = typeof process.exitCode === 'number' ? process.exitCode : error ? 1 : 0;
    // Flag names only, never values: values may hold paths, prompts or secrets.
    const flags = this.argv.filter((a) => a.startsWith('--')).map((a) => a.split('=')[0] as string);
    await recordCommand(this.id ?? 'unknown', { exitCode, durationMs: Math.round(Number(process.hrtime.bigint() - this.startedAt) / 1e6), flags });
    return super.finally(error);
  }

  /**
   * One NDJSON line on stdout (in --json mode only). Through the stream: long-running commands emit, and a slow
   * reader must not block their event loop where pipes are asynchronous (macOS). One-shot documents go through
   * `writeStdout` (render/stdout.ts).
   */
  protected emit(event: Record<string, unknown>): void {
    if (this.jsonMode) process.stdout.write(JSON.stringify(event) + '\n');
  }

  /** Human output on stdout; silent in --json mode. Through the stream, as `emit`. */
  protected print(text = ''): void {
    if (!this.jsonMode) process.stdout.write(text + '\n');
  }

  /** Human notes on stderr, so they never mix with data on stdout. */
  protected note(text: string): void {
    process.stderr.write(text + '\n');
  }

  protected done(code: number): never {
    this.exit(code);
  }

  protected override async catch(error: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    if (error.oclif?.exit !== undefined && !GodmodeError.isInstance(error)) return super.catch(error);
    // A full disk, a read-only or forbidden folder: the machine's errors are the user's to fix, not bugs.
    const environment = !GodmodeError.isInstance(error) || error.audience === 'bug' ? EnvironmentError.from(error) : null;
    if (environment) return this.catch(environment);
    if (GodmodeError.isInstance(error)) {
      const code =
        error.code === 'LEASE_HELD'
          ? ExitCode.leaseHeld
          : error.audience === 'user'
            ? ExitCode.userError
            : error.audience === 'external'
              ? ExitCode.externalError
              : ExitCode.bug;
      if (this.jsonMode) {
        writeStdout(JSON.stringify({ type: 'error', code: error.code, audience: error.audience, message: error.message, hint: error.hint ?? null }) + '\n');
      } else {
        process.stderr.write(`${paint('red', 'Error:', process.stderr)} ${error.message}\n`);
        if (error.hint) process.stderr.write(`${paint('dim', error.hint, process.stderr)}\n`);
        if (error.audience === 'bug') process.stderr.write(`${error.stack ?? ''}\nThis is a bug in godmode; please report it with the lines above.\n`);
      }
      process.exitCode = code;
      this.exit(code);
    }
    // Anything not ours is a bug: exit 70, say so, and write the details (stack, command, versions) to a report
    // file for the user to attach — every credential a library put in them redacted first. The stack reaches the
    // terminal only with DEBUG set. Loaded only on this path.
    const { writeBugReport, bugNotice } = await import('@godmode/auth');
    const report = await writeBugReport(error, { argv: process.argv.slice(2), version: this.config.version });
    if (this.jsonMode) {
      writeStdout(JSON.stringify({ type: 'error', code: 'BUG', audience: 'bug', message: report.message, report: report.file }) + '\n');
    } else {
      process.stderr.write(`${paint('red', 'Error:', process.stderr)} ${bugNotice(report, { debug: Boolean(process.env.DEBUG) })}\n`);
    }
    this.exit(ExitCode.bug);
  }
}
