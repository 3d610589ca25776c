import { z } from 'zod';
import { lazySchema } from './lazy-schema.js';

/**
 * What `godmode orchestra run --json`, `watch --json`, `takeover --json` and `demo --json` print: one JSON
 * object per line (NDJSON), each with a `type`. The run's journal entries come as `journal` events in the same
 * shape from every command (`watch` reads them from the journal, `run` as its conductor writes them), so a
 * script reads either the same way; the last line is an `outcome`, or an `error`.
 */
const journalEvent = /* @__PURE__ */ lazySchema(() => z
  .object({
    type: z.literal('journal'),
    seq: z.number().int().positive(),
    /** When the entry was written (ISO 8601). */
    at: z.string().optional(),
    kind: z.string().min(1),
    /** Fencing token of the conductor that wrote it, when it holds the lease. */
    token: z.number().int().nonnegative().optional(),
    payload: z.unknown(),
  })
  .describe('one entry of the run journal (journal.jsonl)'));

const outcomeEvent = /* @__PURE__ */ lazySchema(() => z
  .object({
    type: z.literal('outcome'),
    runId: z.string(),
    runDir: z.string(),
    shipped: z.number().int().nonnegative(),
    streams: z.number().int().nonnegative(),
    detached: z.boolean().optional(),
    stopped: z.boolean().optional(),
    interrupted: z.boolean().optional(),
    audited: z.boolean().optional(),
    scorecardFile: z.string().nullable().optional(),
    receiptFile: z.string().nullable().optional(),
    receiptHtml: z.string().nullable().optional(),
  })
  .passthrough()
  .describe('how the run ended, as far as this command saw it; the exit code says the same (0, 1, 130)'));

export const cliEventSchema = /* @__PURE__ */ lazySchema(() => z.discriminatedUnion('type', [
  journalEvent,
  outcomeEvent,
  z.object({ type: z.literal('detached'), runId: z.string(), runDir: z.string() }).passthrough().describe('run --detach: the conductor runs in the background'),
  z.object({ type: z.literal('daemon'), pid: z.number().int(), runId: z.string(), runDir: z.string() }).passthrough().describe('a background conductor holds the run'),
  z.object({ type: z.literal('finished'), runId: z.string(), runDir: z.string() }).passthrough().describe('takeover or --resume of a run that already finished: nothing was done'),
  z.object({ type: z.literal('audit') }).passthrough().describe('takeover of a run whose conductor is alive: a read-only audit'),
  z.object({ type: z.literal('holder-silent'), pid: z.number().int(), token: z.number().int() }).passthrough(),
  z.object({ type: z.literal('chaos'), killed: z.number().int() }).passthrough().describe('demo --chaos: the conductor was SIGKILLed'),
  z.object({ type: z.literal('warning'), message: z.string() }).passthrough(),
  z
    .object({ type: z.literal('error'), code: z.string(), audience: z.enum(['user', 'external', 'bug']), message: z.string(), hint: z.string().nullable().optional() })
    .passthrough()
    .describe('the command failed; the exit code says how (2 input or environment, 3 external, 4 lease held, 70 bug)'),
]));
export type CliEvent = z.infer<typeof cliEventSchema>;

/** A journal entry as a `journal` event. */
export function toJournalEvent(entry: { seq: number; at?: string; kind: string; token?: number; payload: unknown }): CliEvent {
  return { type: 'journal', seq: entry.seq, ...(entry.at ? { at: entry.at } : {}), kind: entry.kind, ...(entry.token !== undefined ? { token: entry.token } : {}), payload: entry.payload };
}
