import { nodeCrypto } from '../lazy-crypto.js';
import { closeSync, fstatSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { GodmodeError } from '@godmode/protocol';
import { pidAlive } from '../pid-alive.js';

interface LockOwner {
  pid: number;
  host: string;
  nonce: string;
}

export interface LockFileOptions {
  /** A lock whose owner is alive is considered abandoned only after this long (pid reuse, a hung owner). */
  staleMs?: number;
  /** Give up waiting after this long. */
  timeoutMs?: number;
}

const host = hostname();
const unreadableStaleMs = 1_000;

/**
 * A cross-process mutex made of an exclusively created file (`open(..., 'wx')`), for critical sections
 * of microseconds. The fast path is synchronous on purpose: three syscalls cost less than three trips
 * through libuv's thread pool. A lock left by a dead process (same host, pid gone) is broken at once;
 * any lock older than `staleMs` is broken too. A waiter leaves a `<lock>.want` file, so that a holder
 * keeping the lock across many short sections (`contended()`) knows to let go.
 */
export class LockFile {
  readonly file: string;
  private readonly staleMs: number;
  private readonly timeoutMs: number;
  private held: string | null = null;
  private heldIno = 0;
  private heldSince = 0;
  private readonly wantFile: string;
  private lastLook = 0;

  constructor(file: string, options: LockFileOptions = {}) {
    this.file = file;
    this.staleMs = options.staleMs ?? 30_000;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.wantFile = `${file}.want`;
  }

  get isHeld(): boolean {
    return this.held !== null;
  }

  get heldForMs(): number {
    return this.held === null ? 0 : Date.now() - this.heldSince;
  }

  /** Another process is waiting for this lock (it touched the want file lately). Looks at most every 2 ms. */
  contended(): boolean {
    const now = Date.now();
    if (now - this.lastLook < 2) return false;
    this.lastLook = now;
    try {
      return now - statSync(this.wantFile).mtimeMs < 1_000;
    } catch {
      return false;
    }
  }

  async acquire(): Promise<void> {
    if (this.held !== null) throw new GodmodeError({ code: 'LOCK_REENTERED', message: `${this.file} is already held by this process` });
    const content = JSON.stringify({ pid: process.pid, host, nonce: nodeCrypto().randomBytes(6).toString('hex') } satisfies LockOwner);
    const deadline = Date.now() + this.timeoutMs;
    let wait = 0.2;
    let waited = false;
    for (;;) {
      if (this.tryCreate(content)) {
        this.held = content;
        this.heldSince = Date.now();
        if (waited) rmQuiet(this.wantFile);
        return;
      }
      if (this.breakIfStale()) continue;
      // Touched on every try: a waiter that gave up or died stops counting after a second.
      writeFileSync(this.wantFile, '');
      waited = true;
      if (Date.now() > deadline) {
        rmQuiet(this.wantFile);
        throw new GodmodeError({
          code: 'LOCK_TIMEOUT',
          audience: 'external',
          message: `Timed out after ${this.timeoutMs} ms waiting for ${this.file}.`,
          hint: `Another godmode process holds it. If none is running, delete ${this.file}.`,
        });
      }
      await sleep(wait);
      // Short polls: a holder that sees our want file lets go for a few milliseconds only.
      wait = Math.min(wait * 2, 2);
    }
  }

  release(): void {
    const mine = this.held;
    this.held = null;
    if (mine === null) return;
    try {
      // Only remove our own lock: if ours was broken as stale, the file now belongs to someone else.
      if (statSync(this.file).ino === this.heldIno) unlinkSync(this.file);
    } catch {
      // Already gone.
    }
  }

  private tryCreate(content: string): boolean {
    let fd: number;
    try {
      fd = openSync(this.file, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    try {
      writeSync(fd, content);
      this.heldIno = fstatSync(fd).ino;
    } finally {
      closeSync(fd);
    }
    return true;
  }

  /** True when a stale lock was removed (or vanished) and the caller should retry at once. */
  private breakIfStale(): boolean {
    let seen: string;
    let ageMs: number;
    try {
      seen = readFileSync(this.file, 'utf8');
      ageMs = Date.now() - statSync(this.file).mtimeMs;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
      throw error;
    }
    const owner = parseOwner(seen);
    // An unreadable lock is its creator between open and write (microseconds), or a creator killed there.
    const dead = owner === null ? ageMs > unreadableStaleMs : owner.host === host && !pidAlive(owner.pid);
    if (!dead && ageMs < this.staleMs) return false;

    // Move the lock aside instead of unlinking it, then check it was the one judged stale: two breakers
    // racing must not both win, nor remove a fresh lock that replaced the stale one in between.
    const aside = `${this.file}.stale-${process.pid}-${nodeCrypto().randomBytes(4).toString('hex')}`;
    try {
      renameSync(this.file, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
      throw error;
    }
    let moved = '';
    try {
      moved = readFileSync(aside, 'utf8');
    } catch {
      // Unreadable: treat as the stale one.
      moved = seen;
    }
    if (moved !== seen) {
      // We displaced a live lock: put it back unless someone already holds a new one.
      try {
        linkSync(aside, this.file);
      } catch {
        // Someone else holds the lock now; the displaced owner's release() will see it is not theirs.
      }
    }
    try {
      unlinkSync(aside);
    } catch {
      // Gone already.
    }
    return true;
  }
}

function rmQuiet(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Someone else removed it.
  }
}

function parseOwner(text: string): LockOwner | null {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid === 'number' && typeof value.host === 'string') return value as LockOwner;
  } catch {
    // Not (yet) a lock we can read.
  }
  return null;
}
