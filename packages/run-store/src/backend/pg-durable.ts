import type { PgQueryable } from './pg-pool.js';

/**
 * Makes every transaction committed before this call durable: when the WAL is not yet flushed up to the current
 * insert position, a tiny transactional WAL record (`pg_logical_emit_message`) is committed with
 * `synchronous_commit` on, which flushes the WAL up to its own commit record, so past every earlier commit.
 * Nothing is written when the WAL is already flushed that far (another writer's flush covered it).
 *
 * Why: a journal append commits with `synchronous_commit = off` so the run's row lock is released at once
 * instead of after the disk flush (early lock release: the appends of many writers no longer queue behind one
 * another's fsync). The WAL is one sequence, so a later flush covers every earlier commit: the durable journal is
 * always a gap-free prefix, and an append's promise resolves only after this call.
 */
export const ensureDurableSql = `select case when pg_current_wal_flush_lsn() >= pg_current_wal_insert_lsn() then false
  else pg_logical_emit_message(true, 'godmode', 'durable') is not null end as flushed`;

export async function ensureDurable(db: PgQueryable): Promise<void> {
  await db.query({ name: 'godmode_ensure_durable', text: ensureDurableSql });
}
