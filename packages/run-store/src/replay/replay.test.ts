import { parsePlan, type JournalEntry, type Verdict, type WorkerIdentity } from '@godmode/protocol';
import { describe, expect, it } from 'vitest';
import { replayEntries } from './replay.js';

const plan = parsePlan(
  `
name: demo
phases:
  - id: build
    streams:
      - id: api
        worker: { adapter: command, options: { command: node api.js } }
        deliverables: [api.ts]
      - id: docs
        worker: { adapter: command, options: { command: node docs.js } }
        deliverables: [README.md]
  - id: polish
    streams:
      - id: lint
        worker: { adapter: command, options: { command: node lint.js } }
`,
  'plan.yaml',
);

const identity = (stream: string, attempt: number, pid: number): WorkerIdentity => ({
  stream,
  attempt,
  pid,
  startTime: String(1000 + pid),
  cmdline: `node ${stream}.js`,
  pgid: pid,
});

const verdict = (stream: string, status: Verdict['status'], divergence: Verdict['divergence'], attempt: number): Verdict => ({
  stream,
  status,
  divergence,
  sentence: `${stream} is ${status}`,
  deliverables: { expected: 1, present: status === 'shipped' ? 1 : 0 },
  evidence: { deliverables: [], check: null, git: null },
  claim: { state: divergence === 'no-claim' ? 'absent' : 'read', status: 'success', says: 'success', problem: null },
  attempt,
  reconciledAt: '2026-11-24T11:00:09.000Z',
});

/** A run as the conductor journals it: api ships on the first try; docs fails, retries and ships; lint never starts. */
function realisticRun(): JournalEntry[] {
  const api = identity('api', 1, 101);
  const docs1 = identity('docs', 1, 102);
  const docs2 = identity('docs', 2, 103);
  const w = (worker: WorkerIdentity, rest: Record<string, unknown>) => ({ worker, t: 1, at: '2026-11-24T11:00:01.000Z', ...rest });
  const logs = (s: string, n: number) => ({ stdout: `streams/${s}/attempts/${n}/stdout.log`, stderr: `streams/${s}/attempts/${n}/stderr.log` });
  const raw: Array<[string, unknown]> = [
    ['run.started', { runId: 'r1', plan: 'demo', streams: 3, holder: 'c1', pid: 1 }],
    ['phase.started', { phase: 'build', streams: ['api', 'docs'] }],
    ['worker.spawned', w(api, { type: 'spawned', logs: logs('api', 1), workdir: '/w/api' })],
    ['stream.spawned', { stream: 'api', attempt: 1, identity: api, logs: logs('api', 1) }],
    ['worker.spawned', w(docs1, { type: 'spawned', logs: logs('docs', 1), workdir: '/w/docs' })],
    ['stream.spawned', { stream: 'docs', attempt: 1, identity: docs1, logs: logs('docs', 1) }],
    ['worker.output', w(api, { type: 'output', stream: 'stdout', bytes: 12, line: 'writing api' })],
    ['worker.sample', w(api, { type: 'sample', state: 'running', cpuSeconds: 0.2, cpuShare: 0.5, processes: 1, quietMs: 0 })],
    ['worker.exited', w(docs1, { type: 'exited', how: 'exited', exitCode: 1, signal: null })],
    ['stream.reconciled', verdict('docs', 'missing', 'no-claim', 1)],
    ['stream.retry-scheduled', { stream: 'docs', phase: 'build', attempt: 2, delayMs: 10 }],
    ['worker.exited', w(api, { type: 'exited', how: 'exited', exitCode: 0, signal: null })],
    ['stream.reconciled', verdict('api', 'shipped', 'agrees', 1)],
  ];
  return raw.map(([kind, payload], i) => ({ seq: i + 1, at: `2026-11-24T11:00:${String(i).padStart(2, '0')}.000Z`, kind, token: 1, payload }));
}

describe('replay', () => {
  it('folds a realistic run into stream states, attempts, verdicts and last events', () => {
    const entries = realisticRun();
    const state = replayEntries('r1', plan, { entries });
    expect(state).toMatchObject({ runId: 'r1', planName: 'demo', status: 'running', startedAt: entries[0]?.at, finishedAt: null, lastSeq: 13, holderToken: 1, problems: [] });

    const api = state.streams.api!;
    expect(api).toMatchObject({ phase: 'build', state: 'done', verdict: { status: 'shipped', divergence: 'agrees' } });
    expect(api.attempts).toEqual([
      {
        n: 1,
        identity: identity('api', 1, 101),
        logs: { stdout: 'streams/api/attempts/1/stdout.log', stderr: 'streams/api/attempts/1/stderr.log' },
        startedAt: entries[2]?.at,
        exitedAt: entries[11]?.at,
        exit: { how: 'exited', exitCode: 0, signal: null },
      },
    ]);
    expect(api.claim).toMatchObject({ state: 'read' });
    expect(api.lastEvents.map((e) => e.kind)).toEqual(['worker.spawned', 'stream.spawned', 'worker.output', 'worker.sample', 'worker.exited', 'stream.reconciled']);

    const docs = state.streams.docs!;
    expect(docs.state).toBe('retry-wait');
    expect(docs.verdict).toMatchObject({ status: 'missing', divergence: 'no-claim' });
    expect(docs.attempts[0]?.exit).toEqual({ how: 'exited', exitCode: 1, signal: null });

    expect(state.streams.lint).toMatchObject({ phase: 'polish', state: 'pending', attempts: [], verdict: null, lastEvents: [] });
  });

  it('follows the run to its end: the retry ships, the run finishes', () => {
    const entries = realisticRun();
    const docs2 = identity('docs', 2, 103);
    const more: Array<[string, unknown]> = [
      ['worker.spawned', { worker: docs2, t: 2, at: 'x', type: 'spawned', logs: { stdout: 'o', stderr: 'e' }, workdir: '/w/docs' }],
      ['stream.spawned', { stream: 'docs', attempt: 2, identity: docs2, logs: { stdout: 'o', stderr: 'e' } }],
      ['worker.exited', { worker: docs2, t: 3, at: 'x', type: 'exited', how: 'after-result', exitCode: 0, signal: null }],
      ['stream.reconciled', verdict('docs', 'shipped', 'agrees', 2)],
      ['stream.signoff', { stream: 'api', phase: 'build', status: 'shipped' }],
      ['stream.signoff', { stream: 'docs', phase: 'build', status: 'shipped' }],
      ['phase.finished', { phase: 'build' }],
      ['run.finished', { shipped: 2, streams: 3, stopped: false }],
    ];
    for (const [kind, payload] of more) entries.push({ seq: entries.length + 1, at: `2026-11-24T11:01:${entries.length}.000Z`, kind, token: 1, payload });
    const state = replayEntries('r1', plan, { entries });
    expect(state.status).toBe('finished');
    expect(state.finishedAt).toBe(entries.at(-1)?.at);
    expect(state.streams.docs).toMatchObject({ state: 'done', verdict: { status: 'shipped', attempt: 2 } });
    expect(state.streams.docs?.attempts.map((a) => [a.n, a.identity?.pid, a.exit?.how])).toEqual([
      [1, 102, 'exited'],
      [2, 103, 'after-result'],
    ]);
  });

  it('marks a stopped run stopped, and a takeover running again with the new token', () => {
    const entries = realisticRun();
    entries.push({ seq: 14, at: 't14', kind: 'run.stopped', token: 1, payload: { by: 'user' } });
    expect(replayEntries('r1', plan, { entries }).status).toBe('stopped');
    entries.push({ seq: 15, at: 't15', kind: 'run.takeover', token: 2, payload: { previousToken: 1 } });
    const state = replayEntries('r1', plan, { entries });
    expect(state.status).toBe('running');
    expect(state.holderToken).toBe(2);
  });

  it('keeps only the last 10 events of a stream', () => {
    const api = identity('api', 1, 101);
    const entries: JournalEntry[] = Array.from({ length: 100 }, (_, i) => ({
      seq: i + 1,
      at: 'x',
      kind: 'worker.output',
      payload: { worker: api, t: i, at: 'x', type: 'output', stream: 'stdout', bytes: 1 },
    }));
    const last = replayEntries('r1', plan, { entries }).streams.api?.lastEvents ?? [];
    expect(last.map((e) => e.seq)).toEqual([91, 92, 93, 94, 95, 96, 97, 98, 99, 100]);
  });

  it('reports corrupt lines, gaps, unknown streams and unreadable verdicts as problems, and goes on', () => {
    const entries = realisticRun().filter((e) => e.seq !== 5);
    entries.push({ seq: 14, at: 'x', kind: 'stream.spawned', payload: { stream: 'ghost', attempt: 1 } });
    entries.push({ seq: 15, at: 'x', kind: 'stream.reconciled', payload: { stream: 'lint', status: 'great' } });
    const state = replayEntries('r1', plan, {
      entries,
      tornTail: true,
      corrupt: [{ line: 7, text: '{oops', error: 'not JSON' }],
    });
    expect(state.problems).toEqual([
      'journal seq jumps from 4 to 6 (1 missing)',
      'journal seq 14 (stream.spawned) names stream "ghost", which is not in the plan',
      'journal seq 15 (stream.reconciled) carries no readable verdict for "lint"',
      'journal line 7 is corrupt (not JSON): {oops',
    ]);
    expect(state.tornTail).toBe(true);
    expect(state.streams.api?.state).toBe('done');
    expect(state.streams.lint?.verdict).toBeNull();
  });

  it('is unknown for an empty journal', () => {
    const state = replayEntries('r1', plan, { entries: [] });
    expect(state).toMatchObject({ status: 'unknown', lastSeq: 0, holderToken: 0, problems: [] });
    expect(Object.keys(state.streams)).toEqual(['api', 'docs', 'lint']);
  });
});
