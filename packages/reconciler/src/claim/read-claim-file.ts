import { open } from 'node:fs/promises';
import { maxClaimBytes, readClaim, type ClaimReadingWithClaim, type ClaimText } from './read-claim.js';

/** Where a claim comes from: a file, its content, or nowhere. */
export type ClaimSource = { path: string } | { text: ClaimText } | null | undefined;

/**
 * Reads a claim file defensively: missing → absent; a folder, FIFO or device → unreadable (never opened
 * for reading, so a FIFO cannot block us); over `maxClaimBytes` → unreadable without reading it.
 */
export async function readClaimSource(source: ClaimSource): Promise<ClaimReadingWithClaim> {
  if (source === null || source === undefined) return readClaim(undefined);
  if ('text' in source) return readClaim(source.text);
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO with no writer must not hang the reconciler.
    const { constants } = await import('node:fs');
    handle = await open(source.path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return readClaim(undefined);
    return { state: 'unreadable', status: null, says: 'unknown', problem: `cannot open (${code ?? String(error)})`, claim: null };
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) return { state: 'unreadable', status: null, says: 'unknown', problem: 'not a regular file', claim: null };
    if (st.size > maxClaimBytes) {
      return { state: 'unreadable', status: null, says: 'unknown', problem: `larger than ${maxClaimBytes} bytes (${st.size}); not read`, claim: null };
    }
    const buffer = Buffer.alloc(st.size);
    let read = 0;
    while (read < st.size) {
      const { bytesRead } = await handle.read(buffer, read, st.size - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return readClaim(buffer.subarray(0, read));
  } catch (error) {
    return { state: 'unreadable', status: null, says: 'unknown', problem: `cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, claim: null };
  } finally {
    await handle.close().catch(() => undefined);
  }
}
