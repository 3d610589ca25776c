import { nodeCrypto } from '../lazy-crypto.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { link, mkdir, open, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { readLease, type Lease } from '@godmode/protocol';
import { fsyncDir, writeJsonAtomic } from '../atomic-write.js';
import { withPath } from '../errno-path.js';
import { LeaseLostError } from '../errors/lease-lost-error.js';
import { pidAlive } from '../pid-alive.js';

export interface LeaseManagerOptions {
  runDir: string;
  /** `lease.json`: the current lease as its holder last wrote it (renewals, release). */
  leaseFile: string;
  /** `leases/<token>.json`, one per token ever issued, each created exclusively. */
  leasesDir: string;
  /**
   * The highest token known elsewhere (the journal's): the next token is above it even when `leases/` and
   * `lease.json` were deleted, so a token is never issued twice.
   */
  tokenFloor?: () => Promise<number>;
}

/**
 * The conductor lease with a fencing token.
 *
 * Who gets token N+1 is settled by the filesystem, not by a lock: every contender writes its lease to a
 * temp file and `link()`s it to `leases/<N+1>.json`, which succeeds for exactly one of them. Nothing is
 * left to go stale when a process dies mid-acquire, and tokens can only grow. `lease.json` is the
 * holder's published view (renewals, release); readers also look one token past it, so a newer holder
 * that has not published yet is never missed.
 */
export class LeaseManager {
  private readonly runDir: string;
  private readonly leaseFile: string;
  private readonly leasesDir: string;
  private readonly tokenFloor: () => Promise<number>;
  /** Highest token seen on disk by this process. */
  private knownToken = 0;

  constructor(options: LeaseManagerOptions) {
    this.runDir = options.runDir;
    this.leaseFile = options.leaseFile;
    this.leasesDir = options.leasesDir;
    this.tokenFloor = options.tokenFloor ?? (async () => 0);
  }

  /**
   * The lease, or null when the current one is held by someone else and neither expired nor released.
   * With `takeFromDeadHolder`, a lease whose holder process on this host is gone is taken at once rather
   * than after its expiry (a reused pid only makes us wait for the expiry: the safe direction).
   */
  async acquire(options: { holder: string; ttlMs: number; takeFromDeadHolder?: boolean }): Promise<Lease | null> {
    const current = await this.read();
    const now = Date.now();
    const holderGone = options.takeFromDeadHolder === true && current !== null && current.host === hostname() && !pidAlive(current.pid);
    if (current !== null && !current.released && current.expiresAt > now && !holderGone) return null;
    const token = Math.max(current?.token ?? 0, await this.tokenFloor()) + 1;
    const at = new Date(now).toISOString();
    const lease: Lease = {
      holder: options.holder,
      pid: process.pid,
      host: hostname(),
      token,
      acquiredAt: at,
      renewedAt: at,
      expiresAt: now + options.ttlMs,
      released: false,
    };
    await mkdir(this.leasesDir, { recursive: true });
    const temp = path.join(this.leasesDir, `.${token}.${process.pid}.${nodeCrypto().randomBytes(4).toString('hex')}.tmp`);
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(`${JSON.stringify(lease, null, 2)}\n`);
      await handle.sync();
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw withPath(error, temp);
    } finally {
      await handle.close();
    }
    try {
      await link(temp, this.tokenFile(token));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return null; // Someone else took this token first.
      throw error;
    } finally {
      await unlink(temp).catch(() => undefined);
    }
    await fsyncDir(this.leasesDir);
    await writeJsonAtomic(this.leaseFile, lease);
    return lease;
  }

  /** Extends the lease; throws `LeaseLostError` when another holder has a newer token or it was released. */
  async renew(lease: Lease, ttlMs: number): Promise<Lease> {
    const current = await this.read();
    if (current === null || current.token !== lease.token || current.released) {
      throw new LeaseLostError({ token: lease.token, currentToken: current?.token ?? null, runDir: this.runDir });
    }
    const now = Date.now();
    const renewed: Lease = { ...current, renewedAt: new Date(now).toISOString(), expiresAt: now + ttlMs };
    await writeJsonAtomic(this.leaseFile, renewed);
    // A contender may have taken the next token while we wrote (it saw us expired): it wins.
    if (existsSync(this.tokenFile(lease.token + 1))) {
      throw new LeaseLostError({ token: lease.token, currentToken: this.currentTokenSync(), runDir: this.runDir });
    }
    return renewed;
  }

  /** Frees the lease at once for the next conductor. Does nothing when it is no longer ours. */
  async release(lease: Lease): Promise<void> {
    const current = await this.read();
    if (current === null || current.token !== lease.token || current.released) return;
    const now = Date.now();
    await writeJsonAtomic(this.leaseFile, { ...current, renewedAt: new Date(now).toISOString(), expiresAt: now, released: true });
  }

  /** The current lease (the newest token), or null when none was ever issued. */
  async read(): Promise<Lease | null> {
    const published = await this.readLeaseFile(this.leaseFile);
    let token = published?.token ?? this.maxTokenOnDisk();
    while (existsSync(this.tokenFile(token + 1))) token++;
    if (token === 0) return null;
    if (published !== null && published.token === token) return published;
    // The newest holder has not published to lease.json yet (or a stale holder overwrote it): its token file is the truth.
    return this.readLeaseFile(this.tokenFile(token));
  }

  /**
   * The newest token issued (0 when none). The journal asks once per write batch, so it is one failed
   * stat in the usual case: token files are never removed, so the newest only moves up from what was seen.
   */
  currentTokenSync(): number {
    if (this.knownToken === 0) {
      try {
        const value = JSON.parse(readFileSync(this.leaseFile, 'utf8')) as { token?: unknown };
        if (typeof value.token === 'number' && Number.isInteger(value.token)) this.knownToken = value.token;
      } catch {
        this.knownToken = this.maxTokenOnDisk();
      }
    }
    while (existsSync(this.tokenFile(this.knownToken + 1))) this.knownToken++;
    return this.knownToken;
  }

  private tokenFile(token: number): string {
    return path.join(this.leasesDir, `${token}.json`);
  }

  private maxTokenOnDisk(): number {
    let max = 0;
    try {
      for (const name of readdirSync(this.leasesDir)) {
        const m = /^(\d+)\.json$/.exec(name);
        if (m) max = Math.max(max, Number(m[1]));
      }
    } catch {
      // No lease was ever issued.
    }
    return max;
  }

  private async readLeaseFile(file: string): Promise<Lease | null> {
    let text: string;
    try {
      // Synchronously: a file of a few hundred bytes, read by every `orchestra ls` for every run (runs.ts → listRuns).
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      // Without zod (`orchestra ls` reads every run's lease and validates nothing else): the same result as leaseSchema.
      return readLease(JSON.parse(text));
    } catch {
      return null;
    }
  }
}
