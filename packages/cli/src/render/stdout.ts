import { writeSync } from 'node:fs';

/**
 * The CLI's bundle defers making `process.stdout` until something reads it (apps/godmode
 * src/bundle/start-up-patches.ts, `deferStdout`): making the stream costs a start ≈ 5 ms — a pipe loads `net` —
 * for a command that prints one JSON document. It records `{ made }` on `process` under this key.
 */
const DEFERRED_STDOUT = Symbol.for('godmode.stdout');

/** True once `process.stdout` exists, or when nothing defers it (this package used as a library, tests). */
export function stdoutMade(): boolean {
  const deferred = (process as unknown as Record<symbol, { made: boolean } | undefined>)[DEFERRED_STDOUT];
  return deferred === undefined || deferred.made;
}

/**
 * Writes a command's one-shot output (a JSON document, a table) to standard output. While the stream is not made,
 * straight to file descriptor 1, synchronously
 * (so in order with anything written later through the stream); a reader that went away (`| head`) is not an
 * error, as oclif treats EPIPE on the stream; a non-blocking descriptor that is full hands the rest to the stream,
 * which waits for it.
 */
export function writeStdout(text: string): void {
  if (stdoutMade()) {
    process.stdout.write(text);
    return;
  }
  let rest = Buffer.from(text, 'utf8');
  try {
    while (rest.length > 0) rest = rest.subarray(writeSync(1, rest));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EPIPE') return;
    if (code !== 'EAGAIN') throw error;
    process.stdout.write(rest);
  }
}
