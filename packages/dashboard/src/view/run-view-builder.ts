import { planStreams, type ClaimReading, type JournalEntry, type Plan } from '@godmode/protocol';
import { pageText, pageTextOrNull } from '../text/page-text.js';
import { Columns } from './columns.js';
import type { MachineSeries, MarkKind, MergeView, RowState, RunHeader, RunPatch, RunSnapshot, ScoreView, StreamRow, Takeover, WorkerSeries } from './view-types.js';

type Payload = Record<string, unknown>;

interface WorkerTrack {
  key: string;
  stream: string;
  attempt: number;
  cols: Columns<'t' | 'cpu' | 'out' | 'writes'>;
  marks: WorkerSeries['marks'];
  marksSent: number;
  out: number;
  writes: number;
  paused: boolean;
}

const finalStates = new Set<RowState>(['shipped', 'partial', 'missing', 'held']);
const machineLoad = /machine CPU (\d+(?:\.\d+)?)%/;

/**
 * Folds a run's journal, entry by entry, into what the dashboard shows: a row per stream, a chart per
 * worker attempt, the machine against its ceiling, the merge queue, the conductor and its takeovers.
 * Pure and incremental: the server feeds it the journal once, then each entry the follow delivers,
 * and takes a snapshot (a page that just connected) or a patch (what changed since the last one).
 */
export class RunViewBuilder {
  private readonly header: RunHeader;
  private readonly rows = new Map<string, StreamRow>();
  private readonly workers = new Map<string, WorkerTrack>();
  private readonly machine: Columns<'t' | 'run'>;
  private readonly governor = new Columns<'t' | 'cpu' | 'ceiling' | 'paused'>({ t: 'last', cpu: 'mean', ceiling: 'last', paused: 'last' });
  private readonly reported: MachineSeries['reported'] = [];
  private reportedSent = 0;
  private readonly liveCores = new Map<string, number>();
  private readonly changedRows = new Set<string>();
  private readonly changedWorkers = new Set<string>();
  private readonly ceiling: number;
  private readonly samplePeriodS: number;
  private t0: number | null = null;

  constructor(
    runId: string,
    plan: Plan,
    private readonly cores: number,
  ) {
    this.ceiling = plan.settings.cpuCeiling;
    this.samplePeriodS = plan.settings.samplePeriodMs / 1000;
    this.header = {
      runId,
      planName: pageText(plan.name),
      status: 'unknown',
      startedAt: null,
      finishedAt: null,
      lastSeq: 0,
      phases: plan.phases.map((p) => ({ id: p.id, state: 'pending' })),
      conductor: null,
      conductorGone: false,
      takeovers: [],
      merges: [],
      score: null,
      problems: [],
    };
    for (const { phase, stream } of planStreams(plan)) {
      this.rows.set(stream.id, {
        id: stream.id,
        phase: phase.id,
        state: 'queued',
        why: null,
        attempt: 0,
        startedAt: null,
        endedAt: null,
        pid: null,
        pauses: 0,
        verdict: null,
        sentence: null,
        claim: 'no claim read yet',
        disk: 'not read yet',
        divergence: null,
        lastLine: null,
      });
    }
    this.machine = new Columns({ t: 'last', run: 'mean' });
  }

  get lastSeq(): number {
    return this.header.lastSeq;
  }

  get status(): RunHeader['status'] {
    return this.header.status;
  }

  /** Whether anything changed since the last patch. */
  get dirty(): boolean {
    return this.changedRows.size > 0 || this.changedWorkers.size > 0 || this.headerDirty;
  }

  private headerDirty = false;

  setConductor(conductor: RunHeader['conductor']): void {
    const before = JSON.stringify(this.header.conductor);
    this.header.conductor = conductor;
    const gone = (this.header.status === 'running' || this.header.status === 'unknown') && this.header.lastSeq > 0 && !(conductor?.live ?? false);
    if (before !== JSON.stringify(conductor) || gone !== this.header.conductorGone) this.headerDirty = true;
    this.header.conductorGone = gone;
  }

  setScore(score: ScoreView | null): void {
    this.header.score = score;
    this.headerDirty = true;
  }

  corrupt(line: { line: number; error: string }): void {
    this.problem(`journal line ${line.line} is corrupt (${pageText(line.error, 200)})`);
  }

  entry(e: JournalEntry): void {
    this.header.lastSeq = Math.max(this.header.lastSeq, e.seq);
    this.headerDirty = true;
    const at = Date.parse(e.at);
    if (this.t0 === null && Number.isFinite(at)) this.t0 = at;
    const p = (e.payload !== null && typeof e.payload === 'object' ? e.payload : {}) as Payload;
    if (e.kind.startsWith('worker.')) return this.workerEntry(e.kind.slice(7), p, at);
    switch (e.kind) {
      case 'run.started':
        this.header.status = 'running';
        this.header.startedAt ??= at;
        if (this.header.startedAt === at) this.t0 = at;
        return;
      case 'run.takeover':
        this.header.status = 'running';
        this.header.finishedAt = null;
        this.header.takeovers.push(this.takeover(p, at));
        return;
      case 'run.stopped':
        this.header.status = 'stopped';
        this.header.finishedAt = at;
        return;
      case 'run.finished':
        this.header.status = p.stopped === true || this.header.status === 'stopped' ? 'stopped' : 'finished';
        this.header.finishedAt = at;
        this.header.conductorGone = false;
        return;
      case 'phase.started':
      case 'phase.finished': {
        const phase = this.header.phases.find((x) => x.id === p.phase);
        if (phase) phase.state = e.kind === 'phase.started' ? 'running' : 'finished';
        return;
      }
      case 'merge.finished':
        return this.mergeFinished(p);
      case 'merge.held':
        return this.held(String(p.stream ?? ''), pageText(p.reason ?? p.why ?? 'held by the merge queue'));
      case 'governor.sample':
        return this.governorSample(p, at);
    }
    const row = typeof p.stream === 'string' ? this.rows.get(p.stream) : undefined;
    if (!row) return;
    this.changedRows.add(row.id);
    switch (e.kind) {
      case 'stream.queued':
        if (!finalStates.has(row.state)) row.state = 'queued';
        return;
      case 'stream.spawned': {
        const attempt = typeof p.attempt === 'number' ? p.attempt : row.attempt + 1;
        const identity = (p.identity ?? {}) as Payload;
        Object.assign(row, { state: 'running', why: null, attempt, startedAt: at, endedAt: null, pid: typeof identity.pid === 'number' ? identity.pid : null });
        this.track(row.id, attempt);
        return;
      }
      case 'stream.retry-scheduled':
        row.state = 'retry-wait';
        row.why = typeof p.delayMs === 'number' ? `attempt ${String(p.attempt)} in ${Math.round(p.delayMs / 1000)} s` : null;
        return;
      case 'stream.admission-held':
        // A usage limit with a reset time holds the adapter's admissions: the stream waits, then retries.
        row.state = 'retry-wait';
        row.why = `held until ${pageText(p.until, 40)} (${pageText(p.adapter, 40)} usage limit)`;
        return;
      case 'stream.reconciled':
      case 'stream.signoff':
        return this.verdict(row, e.kind, p);
      case 'stream.stopped-after-ship':
        row.why = `stopped after it shipped (${pageText(p.reason, 100)})`;
        return;
    }
  }

  /** Everything, for a page that just connected. Changes nothing: flush the pending patch first. */
  snapshot(): RunSnapshot {
    const workers = [...this.workers.values()].map((w) => ({ ...this.series(w, 0), marksFrom: 0 }));
    return { type: 'snapshot', run: this.header, rows: [...this.rows.values()], workers, machine: { ...this.machineSeries(0, 0), reportedFrom: 0 } };
  }

  /** What changed since the last patch; the page splices each series at `from` (and marks at `marksFrom`). */
  patch(): RunPatch {
    const rows = [...this.changedRows].map((id) => this.rows.get(id) as StreamRow);
    const workers = [...this.changedWorkers].map((key) => {
      const w = this.workers.get(key) as WorkerTrack;
      const tail = w.cols.takeTail();
      const marksFrom = tail.from === 0 ? 0 : Math.min(w.marksSent, w.marks.length);
      w.marksSent = w.marks.length;
      return { key: w.key, stream: w.stream, attempt: w.attempt, gen: tail.gen, ...tail.data, marks: w.marks.slice(marksFrom), marksFrom, from: tail.from };
    });
    const m = this.machine.takeTail();
    const g = this.governor.takeTail();
    const reportedFrom = m.from === 0 ? 0 : this.reportedSent;
    this.reportedSent = this.reported.length;
    this.changedRows.clear();
    this.changedWorkers.clear();
    this.headerDirty = false;
    return {
      type: 'patch',
      run: this.header,
      rows,
      workers,
      machine: {
        gen: m.gen,
        t: m.data.t,
        run: m.data.run,
        reported: this.reported.slice(reportedFrom),
        reportedFrom,
        ceiling: this.ceiling,
        cores: this.cores,
        from: m.from,
        governor: { gen: g.gen, from: g.from, ...g.data },
      },
    };
  }

  private workerEntry(type: string, p: Payload, at: number): void {
    const worker = (p.worker ?? {}) as Payload;
    const streamId = typeof worker.stream === 'string' ? worker.stream : undefined;
    const attempt = typeof worker.attempt === 'number' ? worker.attempt : undefined;
    const row = streamId === undefined ? undefined : this.rows.get(streamId);
    if (!row || attempt === undefined) return;
    const w = this.track(row.id, attempt);
    const current = attempt === row.attempt;
    const t = this.seconds(at);
    this.changedWorkers.add(w.key);
    if (current) this.changedRows.add(row.id);
    switch (type) {
      case 'spawned':
      case 'adopted':
        if (row.attempt < attempt || (current && !finalStates.has(row.state))) {
          Object.assign(row, { state: 'running', why: null, attempt, pid: typeof worker.pid === 'number' ? worker.pid : row.pid });
          row.startedAt ??= at;
          this.changedRows.add(row.id);
        }
        return;
      case 'output':
        w.out += typeof p.bytes === 'number' ? p.bytes : 0;
        if (current && typeof p.line === 'string' && p.line.trim() !== '') row.lastLine = pageText(p.line, 400);
        return;
      case 'progress':
        w.writes += (typeof p.created === 'number' ? p.created : 0) + (typeof p.changed === 'number' ? p.changed : 0);
        return;
      case 'sample': {
        const cpu = typeof p.cpuShare === 'number' && Number.isFinite(p.cpuShare) ? p.cpuShare : 0;
        w.cols.push({ t, cpu, out: w.out, writes: w.writes });
        this.liveCores.set(w.key, w.paused ? 0 : cpu);
        this.machinePoint(t);
        return;
      }
      case 'paused':
      case 'resumed':
      case 'stalled': {
        const why = pageText(p.reason ?? '', 300);
        w.paused = type === 'paused';
        if (type === 'paused') this.liveCores.set(w.key, 0);
        const load = machineLoad.exec(why);
        if (load) {
          this.reported.push({ t, load: Number(load[1]) / 100 });
          this.machine.dirtyFrom = Math.min(this.machine.dirtyFrom, this.machine.length);
        }
        this.mark(w, t, type === 'paused' ? 'pause' : type === 'resumed' ? 'resume' : 'stall', why);
        if (current && !finalStates.has(row.state) && row.state !== 'exited') {
          row.state = type === 'paused' ? 'paused' : type === 'stalled' ? 'stalled' : 'running';
          row.why = type === 'resumed' ? null : why;
          if (type === 'paused') row.pauses++;
        } else if (current && type === 'paused') row.pauses++;
        return;
      }
      case 'reaped':
        this.mark(w, t, 'reap', `reaped with ${pageText(p.signal, 20)}`);
        return;
      case 'exited': {
        w.paused = false;
        this.liveCores.delete(w.key);
        w.cols.push({ t, cpu: 0, out: w.out, writes: w.writes });
        const how = pageText(p.how ?? 'exited', 40);
        const code = typeof p.exitCode === 'number' ? ` ${p.exitCode}` : typeof p.signal === 'string' ? ` by ${pageText(p.signal, 20)}` : '';
        this.mark(w, t, 'exit', `${how}${code}`);
        if (current) {
          row.endedAt = at;
          if (!finalStates.has(row.state)) {
            row.state = 'exited';
            row.why = 'exited; the disk decides';
          }
        }
        return;
      }
    }
  }

  private verdict(row: StreamRow, kind: string, p: Payload): void {
    const status = p.status;
    if (status !== 'shipped' && status !== 'partial' && status !== 'missing') return;
    row.state = status;
    row.verdict = status;
    row.why = null;
    if (typeof p.sentence === 'string') row.sentence = pageText(p.sentence);
    if (typeof p.divergence === 'string') row.divergence = pageText(p.divergence, 40);
    const d = p.deliverables as { present?: unknown; expected?: unknown } | null | undefined;
    if (d && typeof d.present === 'number' && typeof d.expected === 'number') row.disk = `${status} — ${d.present} of ${d.expected} deliverables`;
    if (kind === 'stream.reconciled') row.claim = describeClaim(p.claim as ClaimReading | undefined);
  }

  private mergeFinished(p: Payload): void {
    const phase = String(p.phase ?? '');
    const list = (v: unknown) => (Array.isArray(v) ? v : []);
    const view: MergeView = {
      phase,
      merged: list(p.merged).filter((s): s is string => typeof s === 'string'),
      held: list(p.conflicts).map((c: Payload) => ({
        stream: String(c?.stream ?? ''),
        why: `conflicts in ${list(c?.files).slice(0, 5).map((f) => pageText(f, 200)).join(', ') || 'its files'}`,
      })),
      skipped: list(p.skipped).map((s: Payload) => ({ stream: String(s?.stream ?? ''), why: pageText(s?.reason ?? '', 300) })),
      error: pageTextOrNull(p.error),
    };
    this.header.merges = [...this.header.merges.filter((m) => m.phase !== phase), view];
    for (const h of view.held) this.held(h.stream, h.why);
  }

  private held(streamId: string, why: string): void {
    const row = this.rows.get(streamId);
    if (!row) return;
    row.state = 'held';
    row.why = why;
    this.changedRows.add(row.id);
  }

  private takeover(p: Payload, at: number): Takeover {
    return {
      at,
      holder: pageText(p.holder ?? 'unknown', 200),
      token: typeof p.token === 'number' ? p.token : null,
      previousToken: typeof p.previousToken === 'number' ? p.previousToken : null,
      why: pageText(p.reason ?? '', 300),
    };
  }

  private track(stream: string, attempt: number): WorkerTrack {
    const key = `${stream}#${attempt}`;
    let w = this.workers.get(key);
    if (!w) {
      w = { key, stream, attempt, cols: new Columns({ t: 'last', cpu: 'mean', out: 'last', writes: 'last' }), marks: [], marksSent: 0, out: 0, writes: 0, paused: false };
      this.workers.set(key, w);
      this.changedWorkers.add(key);
    }
    return w;
  }

  private mark(w: WorkerTrack, t: number, kind: MarkKind, why: string): void {
    w.marks.push({ t, kind, why });
    // A run that pauses forever keeps its most recent marks; the page needs no more to draw them.
    if (w.marks.length > 2_000) {
      w.marks.splice(0, 1_000);
      w.marksSent = 0;
      w.cols.dirtyFrom = 0;
    }
  }

  private machinePoint(t: number): void {
    let sum = 0;
    for (const c of this.liveCores.values()) sum += c;
    const run = this.cores > 0 ? sum / this.cores : 0;
    const last = this.machine.data.t.at(-1);
    if (last !== undefined && t - last < this.samplePeriodS * 0.9) this.machine.setLast({ run });
    else this.machine.push({ t, run });
  }

  /** A `governor.sample`: the machine's CPU and the ceiling as the governor saw them. One without a CPU reading draws nothing. */
  private governorSample(p: Payload, at: number): void {
    if (typeof p.cpu !== 'number' || !Number.isFinite(p.cpu)) return;
    const share = (v: number) => Math.min(1, Math.max(0, v));
    const ceiling = typeof p.ceiling === 'number' && Number.isFinite(p.ceiling) ? share(p.ceiling) : this.ceiling;
    const paused = typeof p.paused === 'number' && Number.isInteger(p.paused) && p.paused >= 0 ? p.paused : 0;
    this.governor.push({ t: this.seconds(at), cpu: share(p.cpu), ceiling, paused });
  }

  private seconds(at: number): number {
    return this.t0 === null || !Number.isFinite(at) ? 0 : Math.round((at - this.t0) / 10) / 100;
  }

  private series(w: WorkerTrack, from: number): WorkerSeries {
    const d = w.cols.data;
    return { key: w.key, stream: w.stream, attempt: w.attempt, gen: w.cols.gen, t: d.t.slice(from), cpu: d.cpu.slice(from), out: d.out.slice(from), writes: d.writes.slice(from), marks: w.marks.slice() };
  }

  private machineSeries(from: number, reportedFrom: number): MachineSeries {
    const d = this.machine.data;
    const g = this.governor.data;
    return {
      gen: this.machine.gen,
      t: d.t.slice(from),
      run: d.run.slice(from),
      reported: this.reported.slice(reportedFrom),
      ceiling: this.ceiling,
      cores: this.cores,
      governor: { gen: this.governor.gen, t: g.t.slice(), cpu: g.cpu.slice(), ceiling: g.ceiling.slice(), paused: g.paused.slice() },
    };
  }

  private problem(text: string): void {
    if (this.header.problems.length < 50) this.header.problems.push(text);
    this.headerDirty = true;
  }
}

/** The worker's claim as the receipt words it. */
export function describeClaim(reading: ClaimReading | undefined): string {
  if (!reading || reading.state === 'absent') return 'absent (no result.json)';
  if (reading.state === 'unreadable') return `unreadable${reading.problem ? `: ${pageText(reading.problem, 300)}` : ''}`;
  if (reading.state === 'invalid') return `invalid${reading.problem ? `: ${pageText(reading.problem, 300)}` : ''}`;
  return reading.status !== null ? `"${pageText(reading.status)}"` : `no status (${pageText(reading.says, 20)})`;
}
