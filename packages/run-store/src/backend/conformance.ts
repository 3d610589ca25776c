import type { JournalEntry } from '@godmode/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { LeaseLostError } from '../errors/lease-lost-error.js';
import { StaleTokenError } from '../errors/stale-token-error.js';
import type { RunRecordsHandle } from './run-records-backend.js';

/** One fresh, empty run in a backend; `open()` gives an independent view of it, as another process would have. */
export interface ConformanceRun {
  open(): Promise<RunRecordsHandle>;
  dispose(): Promise<void>;
}

export interface ConformanceTarget {
  name: string;
  createRun(): Promise<ConformanceRun>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function expectGapFree(entries: JournalEntry[], count: number): void {
  expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
}

/**
 * The run-store backend conformance suite: one suite, run against every backend (files here, Postgres in
 * `@godmode/fleet`). Call it at the top level of a test file.
 */
export function testRunStoreBackend(target: ConformanceTarget): void {
  describe(`run-store backend conformance: ${target.name}`, () => {
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      while (cleanups.length > 0) await cleanups.pop()!().catch(() => undefined);
    });

    async function fresh(): Promise<{ run: ConformanceRun; open: () => Promise<RunRecordsHandle> }> {
      const run = await target.createRun();
      cleanups.push(() => run.dispose());
      const open = async () => {
        const handle = await run.open();
        cleanups.push(() => handle.close());
        return handle;
      };
      return { run, open };
    }

    it('appends with seq from 1 without gaps, keeping kind, payload and token', async () => {
      const { open } = await fresh();
      const a = await open();
      const first = await a.journal.append('run.started', { n: 1 });
      const second = await a.journal.append('stream.queued', { stream: 's1', nested: { ok: true } });
      expect(first.seq).toBe(1);
      expect(second.seq).toBe(2);
      const lease = await a.lease.acquire({ holder: 'c1', ttlMs: 60_000 });
      expect(lease).not.toBeNull();
      const fenced = await a.journal.append('lease.acquired', null, { token: lease!.token });
      expect(fenced).toMatchObject({ seq: 3, token: lease!.token });
      const { entries } = await (await open()).journal.read();
      expectGapFree(entries, 3);
      expect(entries.map((e) => e.kind)).toEqual(['run.started', 'stream.queued', 'lease.acquired']);
      expect(entries[1]!.payload).toEqual({ stream: 's1', nested: { ok: true } });
      expect(entries[0]!.token).toBeUndefined();
      expect(entries[2]!.token).toBe(lease!.token);
      expect(entries[2]!.payload).toBeNull();
    });

    it('keeps seq gap-free and unique under concurrent writers (separate views), each writer in its own order', async () => {
      const { open } = await fresh();
      const writers = await Promise.all(Array.from({ length: 4 }, () => open()));
      const lease = await writers[0]!.lease.acquire({ holder: 'c1', ttlMs: 60_000 });
      const perWriter = 40;
      await Promise.all(
        writers.map(async (w, wi) => {
          for (let i = 0; i < perWriter; i += 4) {
            // Four in flight at a time per writer: batches and interleaving both happen.
            await Promise.all([0, 1, 2, 3].map((k) => w.journal.append('test.burst', { wi, i: i + k }, { token: lease!.token })));
          }
        }),
      );
      const { entries } = await writers[1]!.journal.read();
      expectGapFree(entries, writers.length * perWriter);
      for (let wi = 0; wi < writers.length; wi++) {
        const mine = entries.filter((e) => (e.payload as { wi: number }).wi === wi).map((e) => (e.payload as { i: number }).i);
        expect(mine.sort((x, y) => x - y)).toEqual(Array.from({ length: perWriter }, (_, i) => i));
      }
    });

    it('refuses an append carrying a stale fencing token, writing nothing of it', async () => {
      const { open } = await fresh();
      const old = await open();
      const next = await open();
      const first = await old.lease.acquire({ holder: 'old', ttlMs: 60_000 });
      await old.journal.append('lease.acquired', null, { token: first!.token });
      await old.lease.release(first!);
      const second = await next.lease.acquire({ holder: 'new', ttlMs: 60_000 });
      expect(second!.token).toBeGreaterThan(first!.token);
      const refused = await old.journal.append('stream.spawned', { late: true }, { token: first!.token }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(StaleTokenError.isInstance(refused)).toBe(true);
      expect((refused as StaleTokenError).currentToken).toBeGreaterThanOrEqual(second!.token);
      await next.journal.append('run.takeover', null, { token: second!.token });
      // Unfenced writers (no token) are not conductors and are not refused.
      await old.journal.append('run.audit', { by: 'reconcile' });
      const { entries } = await next.journal.read();
      expectGapFree(entries, 3);
      expect(entries.some((e) => (e.payload as { late?: boolean } | null)?.late === true)).toBe(false);
    });

    it('refuses a token below one already written, even with no lease read in between', async () => {
      const { open } = await fresh();
      const a = await open();
      const l1 = await a.lease.acquire({ holder: 'a', ttlMs: 60_000 });
      await a.lease.release(l1!);
      const l2 = await a.lease.acquire({ holder: 'a', ttlMs: 60_000 });
      await a.journal.append('x', null, { token: l2!.token });
      await expect(a.journal.append('y', null, { token: l1!.token })).rejects.toSatisfy((e: unknown) => StaleTokenError.isInstance(e));
    });

    it('follow delivers entries above fromSeq in order, including those another writer appends later', async () => {
      const { open } = await fresh();
      const writer = await open();
      const reader = await open();
      await writer.journal.append('a', { i: 1 });
      await writer.journal.append('a', { i: 2 });
      const seen: JournalEntry[] = [];
      const controller = new AbortController();
      let done: () => void = () => undefined;
      const reached = new Promise<void>((resolve) => (done = resolve));
      const following = reader.journal.follow(
        1,
        (e) => {
          seen.push(e);
          if (e.seq === 5) done();
        },
        controller.signal,
      );
      await writer.journal.append('b', { i: 3 });
      await writer.journal.append('b', { i: 4 });
      await writer.journal.append('b', { i: 5 });
      await Promise.race([reached, sleep(20_000)]);
      controller.abort();
      await following;
      expect(seen.map((e) => e.seq)).toEqual([2, 3, 4, 5]);
      expect(seen.map((e) => (e.payload as { i: number }).i)).toEqual([2, 3, 4, 5]);
    });

    it('lease: acquire, refused while held, renew, release, takeover after expiry, tokens strictly increasing', async () => {
      const { open } = await fresh();
      const a = await open();
      const b = await open();
      expect(await a.lease.read()).toBeNull();
      const la = await a.lease.acquire({ holder: 'a', ttlMs: 60_000 });
      expect(la).toMatchObject({ holder: 'a', released: false });
      expect(await b.lease.acquire({ holder: 'b', ttlMs: 60_000 })).toBeNull();
      const renewed = await a.lease.renew(la!, 120_000);
      expect(renewed.token).toBe(la!.token);
      expect(renewed.expiresAt).toBeGreaterThan(la!.expiresAt);
      expect((await b.lease.read())?.holder).toBe('a');
      await a.lease.release(renewed);
      expect((await b.lease.read())?.released).toBe(true);
      const lb = await b.lease.acquire({ holder: 'b', ttlMs: 150 });
      expect(lb!.token).toBeGreaterThan(la!.token);
      await expect(a.lease.renew(renewed, 60_000)).rejects.toSatisfy((e: unknown) => LeaseLostError.isInstance(e));
      // Releasing a lease that is no longer ours does nothing.
      await a.lease.release(renewed);
      expect((await a.lease.read())?.token).toBe(lb!.token);
      expect((await a.lease.read())?.released).toBe(false);
      await sleep(300);
      const lc = await a.lease.acquire({ holder: 'a', ttlMs: 60_000 });
      expect(lc!.token).toBeGreaterThan(lb!.token);
      await expect(b.lease.renew(lb!, 60_000)).rejects.toSatisfy((e: unknown) => LeaseLostError.isInstance(e));
    });

    it('lease: of contenders racing for a free lease exactly one wins, every round, with a new higher token', async () => {
      const { open } = await fresh();
      const contenders = await Promise.all(Array.from({ length: 6 }, () => open()));
      const tokens: number[] = [];
      for (let round = 0; round < 5; round++) {
        const results = await Promise.all(contenders.map((c, i) => c.lease.acquire({ holder: `c${i}`, ttlMs: 60_000 })));
        const winners = results.filter((r) => r !== null);
        expect(winners).toHaveLength(1);
        tokens.push(winners[0]!.token);
        await contenders[0]!.lease.release(winners[0]!);
      }
      for (let i = 1; i < tokens.length; i++) expect(tokens[i]!).toBeGreaterThan(tokens[i - 1]!);
    });

    it('replay: a new view reads back exactly what was appended, and a new lease token is above every token in the journal', async () => {
      const { open } = await fresh();
      const a = await open();
      // A long lease while writing (25 durable appends take more than a short one under load: CI saw it lapse
      // mid-test), renewed short just before the holder stops without releasing.
      const l1 = await a.lease.acquire({ holder: 'a', ttlMs: 60_000 });
      const written: JournalEntry[] = [];
      for (let i = 0; i < 25; i++) written.push(await a.journal.append(i % 2 === 0 ? 'worker.output' : 'worker.progress', { i, text: `line ${i} ✓` }, { token: l1!.token }));
      const last = await a.lease.renew(l1!, 3_000);
      await a.close();
      const b = await open();
      // The holder stopped without releasing: its lease is refused to others until it expires.
      expect(await b.lease.acquire({ holder: 'b', ttlMs: 60_000 })).toBeNull();
      const { entries } = await b.journal.read();
      expect(entries).toEqual(written);
      await sleep(Math.max(0, last.expiresAt - Date.now()) + 200);
      const l3 = await b.lease.acquire({ holder: 'b', ttlMs: 60_000 });
      expect(l3!.token).toBeGreaterThan(Math.max(...entries.map((e) => e.token ?? 0)));
    });
  });
}
