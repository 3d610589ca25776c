import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { invoke, type Account } from '../account.js';
import type { Env } from '../config.js';
import { postEvents } from './post-events.js';
import { createRedactor, type Redactor } from './redact.js';

export interface TelemetryEvent {
  event: string;
  payload: Record<string, unknown>;
}

export interface TelemetryOptions {
  /** Default: on unless GODMODE_TELEMETRY=0 or DO_NOT_TRACK=1. */
  enabled?: boolean;
  /** Upper bound on what `flush` may cost a command, in ms (default 50). */
  timeoutMs?: number;
  /** Events per request (default 20); a full batch is sent in the background at once. */
  batchSize?: number;
  /** Extra exact secrets to redact (the run's canaries are added from GODMODE_RUN_DIR automatically). */
  secrets?: string[];
  env?: Env;
}

/** `GODMODE_TELEMETRY=0|false|off` or `DO_NOT_TRACK=1|true` turn it off. */
export function telemetryEnabled(env: Env = process.env): boolean {
  const own = (env['GODMODE_TELEMETRY'] ?? '').toLowerCase();
  const dnt = (env['DO_NOT_TRACK'] ?? '').toLowerCase();
  return !['0', 'false', 'off', 'no'].includes(own) && !['1', 'true', 'yes'].includes(dnt);
}

/** The canaries planted for the current run (`$GODMODE_RUN_DIR/canaries.json`), so telemetry can never carry them. */
export function runCanaries(env: Env = process.env): string[] {
  const dir = env['GODMODE_RUN_DIR'];
  if (!dir) return [];
  try {
    const value = JSON.parse(readFileSync(join(dir, 'canaries.json'), 'utf8')) as unknown;
    const list = Array.isArray(value) ? value : (value as { values?: unknown }).values;
    return Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * Batched, redacted, best-effort telemetry. `track` never throws and never waits; `flush` sends what is
 * left and returns within `timeoutMs` whatever the network does. Nothing is sent without a login
 * (events are per user, insert-only under RLS).
 */
export class Telemetry {
  readonly enabled: boolean;
  private readonly queue: TelemetryEvent[] = [];
  private readonly inflight = new Set<Promise<void>>();
  private readonly redact: Redactor;
  private readonly timeoutMs: number;
  private readonly batchSize: number;

  constructor(
    private readonly account: Account | null,
    options: TelemetryOptions = {},
  ) {
    const env = options.env ?? account?.env ?? process.env;
    this.enabled = account !== null && (options.enabled ?? telemetryEnabled(env));
    this.timeoutMs = options.timeoutMs ?? 50;
    this.batchSize = options.batchSize ?? 20;
    const token = env['GODMODE_TOKEN'];
    this.redact = createRedactor({ secrets: [...(options.secrets ?? []), ...runCanaries(env), ...(token ? [token] : [])] });
  }

  track(event: string, payload: Record<string, unknown> = {}): void {
    if (!this.enabled) return;
    try {
      this.queue.push({ event, payload: this.redact(payload) as Record<string, unknown> });
      if (this.queue.length >= this.batchSize) this.send(this.queue.splice(0, this.batchSize));
    } catch {
      // telemetry must never break a command
    }
  }

  /** What would be sent, redacted: for `--dry-run`-style inspection and tests. */
  pending(): TelemetryEvent[] {
    return this.queue.slice();
  }

  async flush(): Promise<void> {
    if (!this.enabled) return;
    if (this.queue.length > 0) this.send(this.queue.splice(0));
    if (this.inflight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inflight]),
      new Promise<void>((resolve) => {
        // Ref'd on purpose: flush is awaited, and its bound is short; the socket itself is unref'd.
        timer = setTimeout(resolve, this.timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }

  private send(events: TelemetryEvent[]): void {
    const account = this.account!;
    const job = (async () => {
      const stored = await account.tokens.read();
      if (!stored) return;
      // The stored token is only known now: redact once more so it can never ride along.
      const safe = createRedactor({ secrets: [stored.token] })(events);
      const body = { action: 'telemetry', events: safe };
      if (account.fetchInjected) {
        // A caller-supplied fetch (tests, proxies) sees telemetry too, through supabase-js.
        await invoke(account, 'mcp-actions', body, { token: stored.token, signal: AbortSignal.timeout(this.timeoutMs) });
      } else {
        await postEvents({ supabaseUrl: account.config.supabaseUrl, supabaseKey: account.config.supabaseKey, token: stored.token, body, timeoutMs: this.timeoutMs });
      }
    })().catch(() => undefined);
    const tracked = job.finally(() => this.inflight.delete(tracked));
    this.inflight.add(tracked);
  }
}
