import type pg from 'pg';

/** Sent (by the conductor) right after an attempt is enqueued: idle agents fetch at once instead of at their next poll. */
export const attemptQueuedChannel = 'godmode_attempt_queued';
/** Sent (by an agent) right after it settled an attempt's job: the conductor reads the job at once. */
export const attemptSettledChannel = 'godmode_attempt_settled';

/** Best effort: a notification is a hint that saves a poll period, never the only way work is found. */
export function notify(pool: pg.Pool, channel: string): void {
  pool.query('select pg_notify($1, $2)', [channel, '']).catch(() => undefined);
}

/**
 * LISTEN on `channel` on a connection of its own, calling `onNotify` for each notification. A connection cut
 * (a restart, a partition) is retried every `retryMs` until `close()`; the caller's polling covers the gap.
 */
export function listen(pool: pg.Pool, channel: string, onNotify: () => void, retryMs = 2_000): { close(): void } {
  let closed = false;
  let client: pg.PoolClient | null = null;
  let timer: NodeJS.Timeout | null = null;
  const drop = (error?: Error) => {
    const c = client;
    client = null;
    c?.release(error ?? true);
    if (!closed) timer = setTimeout(connect, retryMs);
  };
  const connect = () => {
    timer = null;
    if (closed) return;
    pool.connect().then(
      async (c) => {
        if (closed) return c.release(true);
        client = c;
        c.on('notification', (m) => m.channel === channel && onNotify());
        c.on('error', (error) => client === c && drop(error));
        try {
          await c.query(`LISTEN ${channel}`);
        } catch (error) {
          if (client === c) drop(error as Error);
        }
      },
      () => {
        if (!closed) timer = setTimeout(connect, retryMs);
      },
    );
  };
  connect();
  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = null;
      c?.release(true);
    },
  };
}
