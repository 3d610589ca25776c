/**
 * Names the file a system error happened on when Node did not (a write through a file handle reports no
 * path): `ENOSPC … write` then reads "cannot write <run>/journal.jsonl: the disk is full". Returns the error.
 */
export function withPath<E>(error: E, path: string): E {
  if (error && typeof error === 'object' && typeof (error as { code?: unknown }).code === 'string' && (error as { path?: unknown }).path === undefined) {
    try {
      (error as { path?: string }).path = path;
    } catch {
      // A frozen error keeps what it had.
    }
  }
  return error;
}

/** Runs `io`, naming `path` on a system error it throws. */
export async function namingPath<T>(path: string, io: () => Promise<T>): Promise<T> {
  try {
    return await io();
  } catch (error) {
    throw withPath(error, path);
  }
}
