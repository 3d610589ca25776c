import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { claimClockSlackMs } from './claim-window.js';
import { maxClaimBytes, readClaim, type ClaimReadingWithClaim, type ClaimText } from './read-claim.js';

/** Where a claim comes from: a file, its content, or nowhere. */
export type ClaimSource = { path: string } | { text: ClaimText } | null | undefined;

export interface ClaimReadOptions {
  /** Ignore a claim file last written before this time (ms since the epoch, minus `claimClockSlackMs`): it is an earlier attempt's. */
  since?: number | null;
  /** The attempt being judged, named when a stale claim is ignored. */
  attempt?: number | null;
}

/**
 * Reads a claim file defensively: missing → absent; a symlink → unreadable (opened with O_NOFOLLOW, so a
 * link to `/etc/passwd` is never read); a folder, FIFO or device → unreadable (opened non-blocking and never
 * read, so a FIFO cannot block us); over `maxClaimBytes` → unreadable without reading it; written before
 * `since` → absent (an earlier attempt's claim).
 */
export async function readClaimSource(source: ClaimSource, options: ClaimReadOptions = {}): Promise<ClaimReadingWithClaim> {
  if (source === null || source === undefined) return readClaim(undefined);
  if ('text' in source) return readClaim(source.text);
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO with no writer must not hang the reconciler. O_NOFOLLOW: a symlinked claim is refused.
    handle = await open(source.path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return readClaim(undefined);
    if (code === 'ELOOP') return { state: 'unreadable', status: null, says: 'unknown', problem: 'result.json is a symlink; not followed', claim: null };
    return { state: 'unreadable', status: null, says: 'unknown', problem: `cannot open (${code ?? String(error)})`, claim: null };
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) return { state: 'unreadable', status: null, says: 'unknown', problem: 'not a regular file', claim: null };
    if (typeof options.since === 'number' && st.mtimeMs < options.since - claimClockSlackMs) {
      const which = typeof options.attempt === 'number' ? `attempt ${options.attempt}` : 'this attempt';
      return { state: 'absent', status: null, says: 'unknown', problem: `stale: result.json was written ${new Date(st.mtimeMs).toISOString()}, before ${which} started; not its claim`, claim: null };
    }
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
