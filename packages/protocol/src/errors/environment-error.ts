import { GodmodeError } from './godmode-error.js';

const marker = Symbol.for('godmode.error.environment');

/** What each error of the machine means for a user, and what to do about it. */
const causes: Record<string, { what: string; fix: string }> = {
  ENOSPC: { what: 'the disk is full', fix: 'Free space on the disk that holds {path} (`df -h {dir}` shows how much is left), then run the command again; what was written so far is kept.' },
  EDQUOT: { what: 'the disk quota is used up', fix: 'Free space within your quota on the disk that holds {path}, then run the command again; what was written so far is kept.' },
  EROFS: { what: 'the file system is read-only', fix: 'Use a folder on a writable disk (for a run, `--cwd <folder>`), or remount {dir} read-write.' },
  EACCES: { what: 'permission denied', fix: 'Give your user write access to {dir} (or run from a folder you own, `--cwd <folder>`).' },
  EPERM: { what: 'the operation is not permitted', fix: 'Check the ownership and attributes of {path} (e.g. `ls -ld {dir}`, `lsattr`), or use a folder you own.' },
  EMFILE: { what: 'too many files are open in this process', fix: 'Raise the limit of open files (`ulimit -n`), then run the command again.' },
  ENFILE: { what: 'too many files are open on this machine', fix: 'Close other programs or raise the system-wide file limit, then run the command again.' },
  EIO: { what: 'the disk reported an input/output error', fix: 'Check the disk that holds {path} (dmesg, SMART); the files written so far may need a look.' },
};

/** The machine's error codes godmode reports as environment problems rather than bugs. */
export const ENVIRONMENT_ERROR_CODES: readonly string[] = Object.keys(causes);

/**
 * An error of the machine, not of godmode: a full disk, a read-only or forbidden folder, too many open files.
 * The user can fix it, so it is an input/environment error (exit 2) naming the path and what to free or fix,
 * with no stack trace. `from` recognises one in any error (or its `cause` chain) that carries such a code.
 */
export class EnvironmentError extends GodmodeError {
  private readonly [marker] = true;
  readonly path: string | undefined;
  readonly systemCode: string;

  constructor(options: { systemCode: string; path?: string; syscall?: string; cause?: unknown }) {
    const known = causes[options.systemCode] ?? { what: options.systemCode, fix: 'Check {path}, then run the command again.' };
    const where = options.path ?? 'a file godmode writes';
    const dir = options.path ? options.path.replace(/\/[^/]*$/, '') || '/' : '.';
    super({
      code: `ENV_${options.systemCode}`,
      audience: 'user',
      message: `Cannot ${options.syscall ? `${options.syscall} ` : 'write '}${where}: ${known.what} (${options.systemCode}).`,
      hint: known.fix.replaceAll('{path}', where).replaceAll('{dir}', dir),
      cause: options.cause,
    });
    this.name = 'EnvironmentError';
    this.path = options.path;
    this.systemCode = options.systemCode;
  }

  /** The environment error an error stands for (itself, or a system error in its cause chain), or null. */
  static from(error: unknown): EnvironmentError | null {
    for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
      if (EnvironmentError.isInstance(e)) return e;
      const { code, path, syscall } = e as { code?: unknown; path?: unknown; syscall?: unknown };
      if (typeof code === 'string' && code in causes) {
        return new EnvironmentError({ systemCode: code, ...(typeof path === 'string' ? { path } : {}), ...(typeof syscall === 'string' ? { syscall } : {}), cause: error });
      }
    }
    return null;
  }

  static override isInstance(error: unknown): error is EnvironmentError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
