import type { JournalEntry } from '@godmode/protocol';

/**
 * Where each stream attempt of a fleet run ran, and why it moved, from the journal.
 *
 * Two sources, both optional: the conductor's own `fleet.attempt-queued` / `fleet.attempt-settled` (always in
 * a fleet run's journal: the base, the agent that finished, pg-boss's retry count — how many times the job
 * moved —, whether the last try resumed from a snapshot, the commit judged) and the agents' notes
 * (`fleet.attempt-started`, `fleet.worker-started`, `fleet.snapshot-pushed`, `fleet.attempt-abandoned`,
 * `fleet.attempt-handed-back`, `fleet.attempt-finished`, `fleet.late-completion-refused`, kept in the run's
 * Postgres journal), which name every try's agent, start commit and end. A try that started and left no end
 * note before another took the job went silent: its heartbeat lapsed (the agent died or lost the database).
 * Agent names and reasons come from other machines: untrusted text, sanitised by the renderers.
 */
export interface FleetTry {
  attemptId: string | null;
  agent: string;
  /** The commit the try's worktree started at: the base, or the last snapshot an earlier try pushed. */
  startedFrom: string | null;
  resumed: boolean | null;
  /** The last snapshot this try pushed, when its notes say. */
  pushed: string | null;
  /** How the try ended, in words: finished, handed back (why), abandoned (why), or went silent. */
  ended: string;
  at: number;
}

export interface FleetAttemptRecord {
  stream: string;
  attempt: number;
  base: string | null;
  /** The agent whose completion settled the job (testimony); null when none completed it. */
  agent: string | null;
  /** How many times the attempt moved to another try (pg-boss's retries, or the tries seen beyond the first). */
  moves: number;
  /** Why it moved, in words, one per move. */
  why: string[];
  /** The commit the settling try started from, when known (a snapshot when `resumed`). */
  startedFrom: string | null;
  resumed: boolean;
  /** The pushed commit the conductor judged. */
  commit: string | null;
  state: string | null;
  problem: string | null;
  /** What the agent said its verdict was: testimony only. */
  reported: string | null;
  tries: FleetTry[];
  /** Agents whose late completion of a superseded try was refused. */
  lateRefused: string[];
  settledAt: number | null;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export const shortCommit = (c: string | null): string => (c === null ? '—' : c.slice(0, 12));

/** Every fleet attempt in the journal, in the order they were first seen; empty for a local run. */
export function readFleetAttempts(journal: readonly JournalEntry[]): FleetAttemptRecord[] {
  const records = new Map<string, FleetAttemptRecord>();
  const record = (stream: string, attempt: number): FleetAttemptRecord => {
    const key = `${stream}#${attempt}`;
    let r = records.get(key);
    if (!r) {
      r = { stream, attempt, base: null, agent: null, moves: 0, why: [], startedFrom: null, resumed: false, commit: null, state: null, problem: null, reported: null, tries: [], lateRefused: [], settledAt: null };
      records.set(key, r);
    }
    return r;
  };
  const tryOf = (r: FleetAttemptRecord, p: Obj, at: number): FleetTry => {
    const attemptId = str(p.attemptId);
    const agent = str(p.agent) ?? '?';
    let t = r.tries.find((x) => (attemptId !== null ? x.attemptId === attemptId : x.agent === agent && x.ended === ''));
    if (!t) {
      t = { attemptId, agent, startedFrom: null, resumed: null, pushed: null, ended: '', at };
      r.tries.push(t);
    }
    return t;
  };

  for (const e of journal) {
    if (!e.kind.startsWith('fleet.')) continue;
    const p = obj(e.payload);
    const stream = str(p.stream);
    const attempt = num(p.attempt);
    if (stream === null || attempt === null) continue;
    const at = Date.parse(e.at) || 0;
    const r = record(stream, attempt);
    switch (e.kind) {
      case 'fleet.attempt-queued':
        r.base = str(p.base) ?? r.base;
        break;
      case 'fleet.attempt-started':
        tryOf(r, p, at);
        break;
      case 'fleet.worker-started': {
        const t = tryOf(r, p, at);
        t.startedFrom = str(p.startedFrom);
        t.resumed = typeof p.resumed === 'boolean' ? p.resumed : null;
        break;
      }
      case 'fleet.snapshot-pushed':
        tryOf(r, p, at).pushed = str(p.commit);
        break;
      case 'fleet.attempt-failed':
      case 'fleet.attempt-abandoned':
      case 'fleet.attempt-handed-back': {
        const t = tryOf(r, p, at);
        const reason = str(p.reason) ?? str(p.outcome) ?? 'no reason given';
        const what = e.kind === 'fleet.attempt-failed' ? 'failed' : e.kind === 'fleet.attempt-abandoned' ? 'abandoned' : 'handed back';
        if (t.ended === '' || what !== 'handed back') t.ended = `${what}: ${reason}`;
        break;
      }
      case 'fleet.attempt-finished':
        tryOf(r, p, at).ended = `finished${str(p.commit) ? ` at ${shortCommit(str(p.commit))}` : ''}`;
        break;
      case 'fleet.late-completion-refused': {
        const agent = str(p.agent) ?? '?';
        if (!r.lateRefused.includes(agent)) r.lateRefused.push(agent);
        break;
      }
      case 'fleet.attempt-settled':
        r.agent = str(p.agent);
        r.moves = Math.max(r.moves, num(p.retries) ?? 0);
        r.resumed = p.resumed === true;
        r.startedFrom = str(p.startedFrom);
        r.commit = str(p.commit);
        r.state = str(p.state);
        r.problem = str(p.problem);
        r.reported = str(p.reported);
        r.settledAt = at;
        break;
      default:
        break;
    }
  }

  for (const r of records.values()) {
    // A try that left no end note and was followed by another went silent: its heartbeat lapsed.
    r.tries.forEach((t, i) => {
      if (t.ended === '' && i < r.tries.length - 1) t.ended = 'went silent (no heartbeat: the agent died or lost the database)';
    });
    const settling = r.tries.find((t) => r.agent !== null && t.agent === r.agent && t.ended.startsWith('finished')) ?? r.tries.at(-1);
    if (r.startedFrom === null && settling?.startedFrom) r.startedFrom = settling.startedFrom;
    if (settling && settling.resumed !== null && r.settledAt === null) r.resumed = settling.resumed;
    r.moves = Math.max(r.moves, r.tries.length - 1);
    const lost = r.tries.slice(0, -1);
    r.why = lost.length > 0 ? lost.map((t) => `${t.agent} ${t.ended}`) : r.moves > 0 ? [`the job went back to the queue ${r.moves === 1 ? 'once' : `${r.moves} times`} (an agent stopped heartbeating — died or cut off — or handed it back)`] : [];
  }
  return [...records.values()];
}

/** Where the settling try started, in words: a snapshot (with its commit when known) or the base. */
export function describeStart(r: FleetAttemptRecord): string {
  if (r.resumed) return `snapshot ${r.startedFrom !== null ? shortCommit(r.startedFrom) : '(the last one pushed; commit not journaled)'}`;
  return `base ${shortCommit(r.startedFrom ?? r.base)}`;
}
