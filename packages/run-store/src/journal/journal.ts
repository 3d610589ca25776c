import { closeSync, fdatasync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { watch, type FSWatcher } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { GodmodeError, type JournalEntry } from '@godmode/protocol';
import { StaleTokenError } from '../errors/stale-token-error.js';
import { formatEntryLine, parseEntryLine } from './entry-line.js';
import { JournalTail } from './journal-tail.js';
import { LockFile } from './lock-file.js';
import { scanJournal, type CorruptLine } from './scan-journal.js';
import { withPath } from '../errno-path.js';

const datasync = promisify(fdatasync);

export interface AppendOptions {
  /** The writer's fencing token. An append whose token is older than the current lease's is refused. */
  token?: number;
}

export interface JournalReadResult {
  entries: JournalEntry[];
  tornTail: boolean;
  corrupt: CorruptLine[];
}

export interface FollowOptions {
  /** Poll period; file-change notifications wake the follower sooner. Default 200 ms. */
  intervalMs?: number;
  /** Corrupt lines met while following (they are not delivered as entries). */
  onCorrupt?: (corrupt: CorruptLine) => void;
}

export interface JournalOptions {
  file: string;
  lockFile: string;
  /** The current fencing token (0 when no lease was ever issued). Called once per write batch that carries tokens. */
  currentToken: () => number;
}

interface Pending {
  kind: string;
  at: string;
  token: number | undefined;
  payload: unknown;
  payloadJson: string;
  resolve: (entry: JournalEntry) => void;
  reject: (error: unknown) => void;
}

/**
 * `journal.jsonl`: append-only, one entry a line, `seq` from 1 without gaps.
 *
 * An append resolves only after its line is on disk (fdatasync). Appends that arrive while a write and
 * its fdatasync are in flight are queued and go out together — one write, one fdatasync (group commit).
 * Across processes, a short lock around each write keeps seq unique, and each batch first reads what
 * others appended since (and cuts a torn tail left by a crash) so numbering continues without gaps.
 */
export class Journal {
  readonly file: string;
  private readonly lock: LockFile;
  private readonly currentToken: () => number;
  private fd: number | null = null;
  /** Byte offset just past the last complete line, as far as this process knows; -1 before the first batch. */
  private end = -1;
  private lastSeq = 0;
  /** Highest fencing token in the journal: a writer never appends below a token already written. */
  private maxToken = 0;
  private queue: Pending[] = [];
  private running: Promise<void> | null = null;
  private closed = false;
  private batches = 0;
  private written = 0;

  constructor(options: JournalOptions) {
    this.file = options.file;
    this.lock = new LockFile(options.lockFile);
    this.currentToken = options.currentToken;
  }

  append(kind: string, payload: unknown, options: AppendOptions = {}): Promise<JournalEntry> {
    if (this.closed) {
      return Promise.reject(new GodmodeError({ code: 'JOURNAL_CLOSED', message: `${this.file} was closed; cannot append "${kind}"` }));
    }
    if (typeof kind !== 'string' || kind === '') {
      return Promise.reject(new GodmodeError({ code: 'JOURNAL_BAD_KIND', message: 'a journal entry needs a non-empty kind' }));
    }
    const token = options.token;
    if (token !== undefined && (!Number.isInteger(token) || token < 0)) {
      return Promise.reject(new GodmodeError({ code: 'JOURNAL_BAD_TOKEN', message: `fencing token ${String(token)} is not a non-negative integer` }));
    }
    let payloadJson: string;
    try {
      // Serialised now: the line records the payload as it was when appended, and bad payloads fail here.
      payloadJson = JSON.stringify(payload === undefined ? null : payload) ?? 'null';
    } catch (error) {
      return Promise.reject(
        new GodmodeError({ code: 'JOURNAL_BAD_PAYLOAD', message: `payload of "${kind}" is not JSON-serialisable: ${(error as Error).message}`, cause: error }),
      );
    }
    return new Promise<JournalEntry>((resolve, reject) => {
      this.queue.push({ kind, at: new Date().toISOString(), token, payload: payload === undefined ? null : payload, payloadJson, resolve, reject });
      this.running ??= this.drain();
    });
  }

  /** Write batches (each one write and one fdatasync) and entries written by this instance: group commit at work. */
  get stats(): { batches: number; entries: number } {
    return { batches: this.batches, entries: this.written };
  }

  /** Every entry, whether the last line was torn, and every corrupt line (reported, never skipped). Never throws on content. */
  async read(): Promise<JournalReadResult> {
    const entries: JournalEntry[] = [];
    const corrupt: CorruptLine[] = [];
    const { tornTail } = await scanJournal(this.file, (e) => entries.push(e), (c) => corrupt.push(c));
    return { entries, tornTail, corrupt };
  }

  /** The highest fencing token any entry carries (0 when none): the floor of the next lease's token. */
  async highestToken(): Promise<number> {
    let max = 0;
    await scanJournal(this.file, (e) => (max = Math.max(max, e.token ?? 0)), () => {}, { lazy: () => true });
    return max;
  }

  /** Streams the journal through callbacks without keeping it in memory (for replay of long runs). */
  scan(
    onEntry: (entry: JournalEntry, payloadText?: string) => void,
    onCorrupt: (corrupt: CorruptLine) => void,
    options: { lazy?: (kind: string) => boolean } = {},
  ) {
    return scanJournal(this.file, onEntry, onCorrupt, options);
  }

  /**
   * Calls `onEntry` for every entry with seq > `fromSeq`, now and as they are appended (by any process),
   * until `signal` aborts. A partial last line is waited for, not reported. Incremental: it keeps the file
   * open and its byte offset between wakes (`JournalTail`); a file cut below that offset or replaced is read
   * again from its start, and only entries above the last delivered seq are delivered. Corrupt lines are
   * reported as met; a line whose seq was already delivered (or is at most `fromSeq`) is checked for its
   * framing only, its payload left unparsed.
   */
  async follow(fromSeq: number, onEntry: (entry: JournalEntry) => void, signal: AbortSignal, options: FollowOptions = {}): Promise<void> {
    const intervalMs = options.intervalMs ?? 200;
    const tail = new JournalTail(this.file, fromSeq, onEntry, (corrupt) => options.onCorrupt?.(corrupt));
    let watcher: FSWatcher | null = null;
    let watched = -1;
    let wake: (() => void) | null = null;
    const poke = () => wake?.();
    signal.addEventListener('abort', poke, { once: true });
    try {
      while (!signal.aborted) {
        await tail.poll().catch(() => undefined);
        // Watched once the file is there, and again when it was replaced (a watch follows the old inode).
        if (watcher === null || watched !== tail.inode) {
          watcher?.close();
          watcher = null;
          try {
            watcher = watch(this.file, { persistent: false }, poke);
            watcher.on('error', () => undefined);
            watched = tail.inode;
          } catch {
            // Not there yet: polling finds it.
          }
        }
        if (signal.aborted) break;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, intervalMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
    } finally {
      signal.removeEventListener('abort', poke);
      watcher?.close();
      await tail.close();
    }
  }

  /** Waits for queued appends, then closes the file. Later appends are refused. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.running !== null) await this.running;
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
  }

  private async drain(): Promise<void> {
    try {
      // One turn of the event loop lets appends issued together (and writers just woken by the previous
      // batch) join the same batch.
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        await this.commit(batch);
        await new Promise<void>((resolve) => setImmediate(resolve));
        // The lock is kept while appends keep coming (creating and removing it costs more than the
        // write); it is let go when idle, when another process waits, and every second so its age
        // never looks stale to others.
        if (this.lock.isHeld && this.queue.length > 0) {
          const contended = this.lock.contended();
          if (contended || this.lock.heldForMs > 1_000) {
            this.lock.release();
            if (contended) await sleep(3);
          }
        }
      }
    } finally {
      this.lock.release();
      this.running = null;
    }
  }

  private async commit(batch: Pending[]): Promise<void> {
    const accepted: Array<{ pending: Pending; entry: JournalEntry }> = [];
    let fd: number;
    try {
      fd = this.fd ??= openSync(this.file, 'a+');
      // Kept from the last batch, but for over a second: this process was stopped or starved, and others
      // may have judged the lock stale and broken it. Take it again and re-read the file.
      if (this.lock.isHeld && this.lock.heldForMs > 1_000) {
        this.lock.release();
        this.end = -1;
      }
      if (!this.lock.isHeld) await this.lock.acquire();
    } catch (error) {
      withPath(error, this.lock.file);
      for (const p of batch) p.reject(error);
      return;
    }
    try {
      this.catchUp(fd);
      let fence = this.maxToken;
      if (batch.some((p) => p.token !== undefined)) fence = Math.max(fence, this.currentToken());
      const seqBefore = this.lastSeq;
      let text = '';
      for (const p of batch) {
        if (p.token !== undefined && p.token < fence) {
          p.reject(new StaleTokenError({ token: p.token, currentToken: fence, kind: p.kind, file: this.file }));
          continue;
        }
        if (p.token !== undefined) fence = p.token;
        const seq = ++this.lastSeq;
        text += formatEntryLine(seq, p.at, p.kind, p.token, p.payloadJson);
        const entry: JournalEntry = { seq, at: p.at, kind: p.kind, payload: p.payload };
        if (p.token !== undefined) entry.token = p.token;
        accepted.push({ pending: p, entry });
      }
      if (accepted.length > 0) {
        const bytes = Buffer.from(text, 'utf8');
        try {
          let written = 0;
          while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
        } catch (error) {
          // Leave no partial batch behind: these appends are reported as failed, so they must not appear.
          try {
            ftruncateSync(fd, this.end);
          } catch {
            this.end = -1;
          }
          this.lastSeq = seqBefore;
          withPath(error, this.file);
          for (const a of accepted) a.pending.reject(error);
          return;
        }
        this.end += bytes.length;
        this.batches++;
        this.written += accepted.length;
        this.maxToken = Math.max(this.maxToken, fence);
      }
    } catch (error) {
      withPath(error, this.file);
      for (const p of batch) if (!accepted.some((a) => a.pending === p)) p.reject(error);
      for (const a of accepted) a.pending.reject(error);
      this.end = -1;
      this.lock.release();
      return;
    }
    if (accepted.length === 0) return;
    try {
      await datasync(fd);
    } catch (error) {
      withPath(error, this.file);
      for (const a of accepted) a.pending.reject(error);
      return;
    }
    for (const a of accepted) a.pending.resolve(a.entry);
  }

  /**
   * Brings this process's view up to the file: learns the seq and tokens of lines others appended,
   * and cuts a torn tail (a crash mid-write) so the next line starts on a line of its own.
   * Runs under the lock, so no live writer is mid-line.
   */
  private catchUp(fd: number): void {
    const size = fstatSync(fd).size;
    if (size === this.end) return;
    if (this.end === -1 || size < this.end) {
      this.recoverFromTail(fd, size);
      return;
    }
    const length = size - this.end;
    const buf = Buffer.allocUnsafe(length);
    readFully(fd, buf, this.end);
    const lastNl = buf.lastIndexOf(10);
    let start = 0;
    while (start <= lastNl) {
      const nl = buf.indexOf(10, start);
      this.learn(buf.toString('utf8', start, nl));
      start = nl + 1;
    }
    const goodEnd = this.end + lastNl + 1;
    if (goodEnd < size) ftruncateSync(fd, goodEnd);
    this.end = goodEnd;
  }

  /** First batch of this process: reads backwards from the end just far enough to find the last entry. */
  private recoverFromTail(fd: number, size: number): void {
    this.lastSeq = 0;
    this.maxToken = 0;
    let window = 64 * 1024;
    let goodEnd = 0;
    for (;;) {
      const start = Math.max(0, size - window);
      const buf = Buffer.allocUnsafe(size - start);
      readFully(fd, buf, start);
      const lastNl = buf.lastIndexOf(10);
      if (lastNl === -1 && start > 0) {
        window *= 4;
        continue;
      }
      goodEnd = lastNl === -1 ? 0 : start + lastNl + 1;
      let found = false;
      let lineEnd = lastNl;
      while (lineEnd !== -1) {
        const prevNl = lineEnd === 0 ? -1 : buf.lastIndexOf(10, lineEnd - 1);
        // A line that begins before the window is not whole here.
        if (prevNl === -1 && start > 0) break;
        const parsed = parseEntryLine(buf.toString('utf8', prevNl + 1, lineEnd));
        if (parsed.ok) {
          if (!found) this.lastSeq = parsed.entry.seq;
          found = true;
          if (parsed.entry.token !== undefined) {
            this.maxToken = Math.max(this.maxToken, parsed.entry.token);
            break;
          }
        }
        lineEnd = prevNl;
      }
      if (found || start === 0) break;
      window *= 4;
    }
    if (goodEnd < size) ftruncateSync(fd, goodEnd);
    this.end = goodEnd;
  }

  private learn(text: string): void {
    const parsed = parseEntryLine(text);
    if (!parsed.ok) return; // Reported by read(); here it only must not break numbering.
    this.lastSeq = Math.max(this.lastSeq, parsed.entry.seq);
    if (parsed.entry.token !== undefined) this.maxToken = Math.max(this.maxToken, parsed.entry.token);
  }
}

function readFully(fd: number, buf: Buffer, position: number): void {
  let done = 0;
  while (done < buf.length) {
    const n = readSync(fd, buf, done, buf.length - done, position + done);
    if (n === 0) break;
    done += n;
  }
}
