import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { planSchema, type ClaimReading, type JournalEntry, type Plan, type PlanInput, type Verdict, type VerdictStatus } from '@godmode/protocol';
import { CANARY_CONFIG_FILE, CANARY_RECORD_FILE } from '../../src/canaries/plant-canaries.js';

/** One attempt of a stream's worker, as a script of the signals the supervisor would have journaled. */
export interface AttemptScript {
  /** Outcome of an earlier attempt (the last attempt's outcome is what its files say). */
  outcome?: VerdictStatus;
  durationS?: number;
  pause?: boolean;
  stall?: boolean;
  reap?: boolean;
  budget?: boolean;
  error?: boolean;
  cpuShare?: number;
  costUsd?: number;
  tokens?: number;
  /** Text added to the attempt's output.log. */
  log?: string;
}

export interface FixtureStream {
  id: string;
  phase?: string;
  /** Files the worker left in its work tree. */
  files: Record<string, string>;
  /** Deliverable paths; default every file. */
  deliverables?: string[];
  /** The worker's `result.json`; null or absent → no claim. */
  claim?: Record<string, unknown> | null;
  attempts?: AttemptScript[];
}

export interface FixtureOptions {
  name?: string;
  streams: FixtureStream[];
  plan?: Partial<Pick<PlanInput, 'test' | 'lint' | 'typecheck' | 'settings'>>;
  /** Files of the merged tree besides the shipped streams' files; `false` leaves no merged tree. */
  merged?: Record<string, string> | false;
  canaries?: string[];
  takeoverAtS?: number;
  /** Extra files anywhere in the run dir (relative paths). */
  runFiles?: Record<string, string>;
}

export interface FixtureRun {
  runDir: string;
  root: string;
  plan: Plan;
  planDir: string;
  verdicts: Verdict[];
  journal: JournalEntry[];
  mergedTree: string | null;
  canaries: string[];
  cleanup(): void;
}

const T0 = Date.parse('2026-01-01T09:00:00.000Z');

function write(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}

function claimReading(claim: Record<string, unknown> | null | undefined): ClaimReading {
  if (claim === null || claim === undefined) return { state: 'absent', status: null, says: 'unknown', problem: null };
  const status = typeof claim.status === 'string' ? claim.status : null;
  const says = status === null ? 'unknown' : /^(success|done|ok|complete)/i.test(status) ? 'success' : /partial/i.test(status) ? 'partial' : 'failure';
  return { state: 'read', status, says, problem: null };
}

/**
 * Writes a run directory in the run-store layout, as a finished run would leave it: `plan.json`,
 * `journal.jsonl`, each stream's work tree, attempt logs, `result.json` and `verdict.json`, and the
 * merged tree. Verdicts are derived from the files written, as the reconciler would.
 */
export function makeFixtureRun(options: FixtureOptions): FixtureRun {
  const root = mkdtempSync(join(tmpdir(), 'godmode-scorer-'));
  const runDir = join(root, 'run-1');
  const planDir = join(root, 'plan');
  mkdirSync(planDir, { recursive: true });
  const phaseIds = [...new Set(options.streams.map((s) => s.phase ?? 'build'))];
  const plan = planSchema.parse({
    name: options.name ?? 'fixture',
    ...options.plan,
    phases: phaseIds.map((id) => ({
      id,
      streams: options.streams
        .filter((s) => (s.phase ?? 'build') === id)
        .map((s) => ({ id: s.id, worker: { adapter: 'command', options: { command: 'true' } }, deliverables: s.deliverables ?? Object.keys(s.files) })),
    })),
  });
  write(join(runDir, 'plan.json'), JSON.stringify({ version: 1, planDir, plan }, null, 2));

  const journal: JournalEntry[] = [];
  const add = (atMs: number, kind: string, payload: unknown) => journal.push({ seq: 0, at: new Date(atMs).toISOString(), kind, token: 1, payload });
  const workerEvent = (atMs: number, identity: object, type: string, fields: Record<string, unknown>) =>
    add(atMs, `worker.${type}`, { type, worker: identity, t: atMs - T0, at: new Date(atMs).toISOString(), ...fields });

  add(T0, 'run.started', { runId: 'run-1', plan: plan.name });
  const verdicts: Verdict[] = [];
  let clock = T0 + 1000;
  let pid = 1000;
  for (const phaseId of phaseIds) {
    const phaseStart = clock;
    add(phaseStart, 'phase.started', { phase: phaseId });
    let phaseEnd = phaseStart;
    const streams = options.streams.filter((s) => (s.phase ?? 'build') === phaseId);
    streams.forEach((s, index) => {
      const work = join(runDir, 'streams', s.id, 'work');
      mkdirSync(work, { recursive: true });
      for (const [rel, content] of Object.entries(s.files)) write(join(work, rel), content);
      // Where the conductor plants it: beside the attempt's logs, outside the work tree (the leak scan skips exactly that path).
      if (options.canaries) write(join(runDir, 'streams', s.id, 'attempts', '1', CANARY_CONFIG_FILE), JSON.stringify({ secrets: options.canaries }));
      if (s.claim) write(join(runDir, 'streams', s.id, 'result.json'), JSON.stringify(s.claim));
      const deliverables = s.deliverables ?? Object.keys(s.files);
      const present = deliverables.filter((d) => d in s.files);
      const finalStatus: VerdictStatus = present.length === deliverables.length ? 'shipped' : present.length > 0 ? 'partial' : 'missing';
      const attempts = s.attempts ?? [{}];
      let start = phaseStart + index * 2000;
      attempts.forEach((a, i) => {
        const n = i + 1;
        const last = i === attempts.length - 1;
        const duration = (a.durationS ?? 60) * 1000;
        const identity = { stream: s.id, attempt: n, pid: ++pid, startTime: String(pid * 10), cmdline: 'node worker.js', pgid: pid };
        add(start, 'stream.spawned', { stream: s.id, attempt: n, identity });
        workerEvent(start, identity, 'spawned', { logs: { stdout: 'out', stderr: 'err' }, workdir: work });
        write(join(runDir, 'streams', s.id, 'attempts', String(n), 'output.log'), `attempt ${n} of ${s.id}\n${a.log ?? ''}`);
        const steps = 12;
        const quietFrom = a.stall || a.reap ? 0.6 : 1;
        for (let k = 1; k <= steps; k++) {
          const at = start + (duration * k) / (steps + 1);
          const frac = k / (steps + 1);
          if (frac < quietFrom) workerEvent(at, identity, 'output', { stream: 'stdout', bytes: 200 + ((k * 37) % 300) });
          if (frac < 0.9 && k % 2 === 0) workerEvent(at, identity, 'progress', { created: 1, changed: k % 4 === 0 ? 1 : 0, paths: [`f${k}`] });
          workerEvent(at, identity, 'sample', { state: 'running', cpuSeconds: (a.cpuShare ?? 0.5) * (at - start) / 1000, cpuShare: a.cpuShare ?? 0.5, processes: 1, quietMs: 0 });
        }
        if (a.pause) {
          workerEvent(start + duration * 0.3, identity, 'paused', { reason: 'CPU above the 80% ceiling' });
          workerEvent(start + duration * 0.45, identity, 'resumed', { reason: 'CPU back under the ceiling' });
        }
        if (a.error) workerEvent(start + duration * 0.5, identity, 'error', { code: 'E_TOOL', message: 'a tool failed' });
        if (a.budget) workerEvent(start + duration * 0.9, identity, 'budget-exceeded', { budgetMs: duration * 0.9 });
        if (a.stall) workerEvent(start + duration * 0.92, identity, 'stalled', { quietMs: 900_000, reason: 'no output, no disk progress, no CPU' });
        const end = start + duration;
        if (a.reap) {
          workerEvent(end - 500, identity, 'reaped', { signal: 'SIGKILL', survivors: 0 });
          workerEvent(end, identity, 'exited', { how: 'reaped', exitCode: null, signal: 'SIGKILL' });
        } else {
          workerEvent(end - 200, identity, 'result', {
            isError: false, subtype: 'success', sessionId: null, numTurns: 3, costUsd: a.costUsd ?? 0.25,
            usage: { input_tokens: a.tokens ?? 1000, output_tokens: 500, cache_read_input_tokens: 100 }, text: null,
          });
          workerEvent(end, identity, 'exited', { how: 'exited', exitCode: 0, signal: null });
        }
        const status = last ? finalStatus : (a.outcome ?? 'missing');
        const claim = claimReading(last ? s.claim : null);
        const divergence = claim.state === 'absent' ? 'no-claim' : claim.says === 'success' ? (status === 'shipped' ? 'agrees' : 'overstated') : status === 'shipped' ? 'understated' : 'agrees';
        const verdict: Verdict = {
          stream: s.id,
          status,
          divergence,
          sentence: `claim ${claim.status ?? claim.state}; disk has ${last ? present.length : 0} of ${deliverables.length} deliverables`,
          deliverables: { expected: deliverables.length, present: last ? present.length : 0 },
          evidence: {
            deliverables: deliverables.map((d) => ({
              deliverable: d,
              ok: last && d in s.files,
              files: last && d in s.files ? [{ path: d, size: s.files[d]!.length, sha256: createHash('sha256').update(s.files[d]!).digest('hex'), mtimeMs: end }] : [],
              reasons: [],
            })),
            check: null,
            git: null,
          },
          claim,
          attempt: n,
          reconciledAt: new Date(end + 500).toISOString(),
        };
        add(end + 500, 'stream.reconciled', verdict);
        if (last) {
          verdicts.push(verdict);
          write(join(runDir, 'streams', s.id, 'verdict.json'), JSON.stringify(verdict, null, 2));
        } else add(end + 600, 'stream.retry-scheduled', { stream: s.id, attempt: n + 1, delayMs: 10_000 });
        phaseEnd = Math.max(phaseEnd, end + 500);
        start = end + 10_000;
      });
    });
    add(phaseEnd + 100, 'phase.finished', { phase: phaseId });
    clock = phaseEnd + 1000;
  }
  if (options.takeoverAtS !== undefined) add(T0 + options.takeoverAtS * 1000, 'run.takeover', { token: 2, reason: 'previous conductor died (lease expired)' });

  let mergedTree: string | null = null;
  if (options.merged !== false) {
    mergedTree = join(runDir, 'merged');
    mkdirSync(mergedTree, { recursive: true });
    for (const s of options.streams) for (const [rel, content] of Object.entries(s.files)) write(join(mergedTree, rel), content);
    for (const [rel, content] of Object.entries(options.merged ?? {})) write(join(mergedTree, rel), content);
    add(clock, 'merge.finished', { merged: options.streams.map((s) => s.id), conflicts: [], tree: 'merged' });
  }
  add(clock + 500, 'run.finished', { shipped: verdicts.filter((v) => v.status === 'shipped').length, streams: verdicts.length });
  journal.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  journal.forEach((e, i) => (e.seq = i + 1));
  write(join(runDir, 'journal.jsonl'), journal.map((e) => JSON.stringify(e)).join('\n') + '\n');
  if (options.canaries) write(join(runDir, CANARY_RECORD_FILE), JSON.stringify({ values: options.canaries }));
  for (const [rel, content] of Object.entries(options.runFiles ?? {})) write(join(runDir, rel), content);
  return { runDir, root, plan, planDir, verdicts, journal, mergedTree, canaries: options.canaries ?? [], cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** The seed's incident: four builders, three reaped after writing every file, claims that lie. */
export function seedIncident(extra: Partial<FixtureOptions> = {}): FixtureRun {
  const ts = (name: string) => `/** ${name}. */\nexport function ${name}(): string {\n  return '${name}';\n}\n`;
  return makeFixtureRun({
    name: 'godmode-cli',
    takeoverAtS: 150,
    streams: [
      { id: 'cli-core', files: { 'src/cli.ts': ts('cli'), 'src/claude.ts': ts('claude') }, claim: { status: 'throttled stub', artifacts: [] }, attempts: [{ outcome: 'missing', reap: true, stall: true, cpuShare: 0.91 }, { reap: true, cpuShare: 0.91, pause: true }] },
      { id: 'commands-auth', files: { 'src/commands/login.ts': ts('login'), 'src/commands/run.ts': ts('run') }, claim: null, attempts: [{ reap: true, cpuShare: 0.87, pause: true }] },
      { id: 'telemetry', files: { 'src/telemetry.ts': ts('telemetry') }, claim: { status: 'success' }, attempts: [{ cpuShare: 0.62, durationS: 40 }] },
      { id: 'tests', files: { 'test/cli.test.ts': "import { it } from 'vitest';\nit('works', () => {});\n" }, claim: { status: 'throttled stub' }, attempts: [{ reap: true, cpuShare: 0.93 }] },
    ],
    merged: { 'README.md': `# godmode\n\n${'A command-line tool for getgodmode.dev members that wraps Claude Code. '.repeat(8)}\n` },
    ...extra,
  });
}
