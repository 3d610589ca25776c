import { afterEach, describe, expect, it } from 'vitest';
import type { JournalEntry } from '@godmode/protocol';
import { makeFixtureRun, type FixtureRun } from '../../test/helpers/fixture-run.js';
import { renderReceiptHtml } from '../receipt/render-html.js';
import { renderReceiptMarkdown } from '../receipt/render-markdown.js';
import { scoreRun } from '../score-run.js';
import { readFleetAttempts } from './fleet-moves.js';

const BASE = 'b'.repeat(40);
const SNAP = '5ea1ed0c0ffee0ddba11c0dedeadbeef01234567';
const FINAL = 'f1a1c0117c0de0000000000000000000000000aa';
const REMOTE = '/srv/remote.git';

// Payloads as the code writes them: the conductor's `fleet.attempt-queued` / `fleet.attempt-settled`
// (apps/godmode/src/fleet/fleet-attempt.ts) and the agents' notes (packages/fleet/src/agent/run-attempt.ts),
// which a fleet run keeps in its Postgres journal.
const queued = (stream: string, attempt = 1) => ({ stream, phase: 'build', attempt, base: BASE, remote: REMOTE });
const settled = (stream: string, fields: Record<string, unknown>) => ({
  stream,
  attempt: 1,
  job: `job-${stream}`,
  state: 'completed',
  retries: 0,
  agent: 'agent-1',
  attemptId: `job-${stream}:0`,
  resumed: false,
  commit: FINAL,
  problem: null,
  reported: 'shipped',
  ...fields,
});

let run: FixtureRun | undefined;
afterEach(() => run?.cleanup());

function fleetJournal(r: FixtureRun, entries: Array<[string, unknown]>): JournalEntry[] {
  const at = Date.parse(r.journal.find((e) => e.kind === 'stream.spawned')!.at);
  return [...r.journal, ...entries.map(([kind, payload], i) => ({ seq: 0, at: new Date(at + 1000 * (i + 1)).toISOString(), kind, token: 1, payload }))];
}

async function receipts(r: FixtureRun, journal: JournalEntry[]) {
  const scorecard = await scoreRun({ runDir: r.runDir, plan: r.plan, planDir: r.planDir, verdicts: r.verdicts, journal, mergedTree: r.mergedTree, canaries: r.canaries, runTests: false });
  const input = { runDir: r.runDir, plan: r.plan, scorecard, verdicts: r.verdicts, journal };
  return { md: renderReceiptMarkdown(input), html: renderReceiptHtml(input) };
}

describe('the receipt of a fleet run', () => {
  it('shows an attempt that moved from a dead agent to another, resumed from the last pushed snapshot', async () => {
    run = makeFixtureRun({ streams: [{ id: 'api', files: { 'api.ts': 'export const api = 1;\n' } }, { id: 'ui', files: { 'ui.ts': 'export const ui = 1;\n' } }] });
    const journal = fleetJournal(run, [
      ['fleet.attempt-queued', queued('api')],
      ['fleet.attempt-queued', queued('ui')],
      // Only the conductor's own entries: the move is read from the settled job (retries, resumed, startedFrom).
      ['fleet.attempt-settled', settled('api', { retries: 1, agent: 'agent-2', attemptId: 'job-api:1', resumed: true, startedFrom: SNAP })],
      ['fleet.attempt-settled', settled('ui', { agent: 'agent-3' })],
    ]);
    const [api, ui] = readFleetAttempts(journal);
    expect(api).toMatchObject({ stream: 'api', attempt: 1, agent: 'agent-2', moves: 1, resumed: true, startedFrom: SNAP, commit: FINAL, base: BASE });
    expect(ui).toMatchObject({ stream: 'ui', agent: 'agent-3', moves: 0, resumed: false });
    const { md, html } = await receipts(run, journal);
    const fleet = md.slice(md.indexOf('## Fleet'), md.indexOf('## What broke'));
    expect(fleet).toMatch(/\| api #1 \| agent-2 \| 1 \|/);
    expect(fleet).toContain(SNAP.slice(0, 12));
    expect(fleet).toContain(FINAL.slice(0, 12));
    expect(fleet).toMatch(/\| ui #1 \| agent-3 \| 0 \|/);
    // A move is an incident: it is under "What broke" too, naming where it went and from which snapshot.
    expect(md).toMatch(/\| api #1 \| moved \| [^|]*agent-2[^|]*5ea1ed0c0ffe/);
    expect(html).toContain('id="fleet"');
    expect(html).toMatch(/<tr data-stream="api"[^>]*data-moves="1"/);
    expect(html).toContain(SNAP.slice(0, 12));
  });

  it('names each agent and why it lost the attempt, from the agents’ notes (a SIGKILLed agent, a partitioned one)', async () => {
    run = makeFixtureRun({ streams: [{ id: 'api', files: { 'api.ts': 'export const api = 1;\n' } }] });
    const journal = fleetJournal(run, [
      ['fleet.attempt-queued', queued('api')],
      ['fleet.attempt-started', { stream: 'api', attempt: 1, attemptId: 'job-api:0', agent: 'agent-1', host: 'h1' }],
      ['fleet.worker-started', { stream: 'api', attempt: 1, attemptId: 'job-api:0', agent: 'agent-1', pid: 11, startedFrom: BASE, resumed: false }],
      ['fleet.snapshot-pushed', { stream: 'api', attempt: 1, attemptId: 'job-api:0', agent: 'agent-1', commit: SNAP, ref: 'refs/godmode/r/snapshots/api/1', final: false }],
      // agent-1 is SIGKILLed: it writes nothing more. agent-2 takes the retry from the snapshot, then is cut off.
      ['fleet.attempt-started', { stream: 'api', attempt: 1, attemptId: 'job-api:1', agent: 'agent-2', host: 'h2' }],
      ['fleet.worker-started', { stream: 'api', attempt: 1, attemptId: 'job-api:1', agent: 'agent-2', pid: 12, startedFrom: SNAP, resumed: true }],
      ['fleet.attempt-abandoned', { stream: 'api', attempt: 1, attemptId: 'job-api:1', agent: 'agent-2', reason: 'no contact with the database for 31 s (connect ETIMEDOUT)' }],
      ['fleet.attempt-started', { stream: 'api', attempt: 1, attemptId: 'job-api:2', agent: 'agent-3', host: 'h3' }],
      ['fleet.worker-started', { stream: 'api', attempt: 1, attemptId: 'job-api:2', agent: 'agent-3', pid: 13, startedFrom: SNAP, resumed: true }],
      ['fleet.attempt-finished', { stream: 'api', attempt: 1, attemptId: 'job-api:2', agent: 'agent-3', commit: FINAL, status: 'shipped' }],
      ['fleet.late-completion-refused', { stream: 'api', attempt: 1, attemptId: 'job-api:1', agent: 'agent-2', reason: 'no contact with the database for 31 s (connect ETIMEDOUT)' }],
      ['fleet.attempt-settled', settled('api', { retries: 2, agent: 'agent-3', attemptId: 'job-api:2', resumed: true })],
    ]);
    const [api] = readFleetAttempts(journal);
    expect(api!.tries.map((t) => [t.agent, t.startedFrom, t.ended])).toEqual([
      ['agent-1', BASE, expect.stringMatching(/went silent/)],
      ['agent-2', SNAP, expect.stringMatching(/no contact with the database/)],
      ['agent-3', SNAP, expect.stringMatching(/finished/)],
    ]);
    expect(api!.startedFrom).toBe(SNAP);
    expect(api!.lateRefused).toEqual(['agent-2']);
    const { md } = await receipts(run, journal);
    const fleet = md.slice(md.indexOf('## Fleet'), md.indexOf('## What broke'));
    expect(fleet).toContain('agent-1 → agent-2 → agent-3');
    expect(fleet).toMatch(/agent-1[^|]*went silent/);
    expect(fleet).toMatch(/agent-2[^|]*no contact with the database/);
    expect(fleet).toMatch(/late completion of agent-2 refused/);
    const broke = md.slice(md.indexOf('## What broke'));
    expect(broke.match(/\| moved \|/g)).toHaveLength(2);
  });

  it('has no fleet section for a local run', async () => {
    run = makeFixtureRun({ streams: [{ id: 'api', files: { 'api.ts': 'x = 1\n' } }] });
    const { md, html } = await receipts(run, run.journal);
    expect(md).not.toContain('## Fleet');
    expect(html).not.toContain('id="fleet"');
  });

  it('keeps agent text inert (agent names and reasons come from other machines)', async () => {
    run = makeFixtureRun({ streams: [{ id: 'api', files: { 'api.ts': 'x = 1\n' } }] });
    const evil = 'agent|<script>x</script>\u001b[2J';
    const journal = fleetJournal(run, [
      ['fleet.attempt-queued', queued('api')],
      ['fleet.attempt-abandoned', { stream: 'api', attempt: 1, attemptId: 'job-api:0', agent: evil, reason: evil }],
      ['fleet.attempt-settled', settled('api', { retries: 1, agent: evil })],
    ]);
    const { md, html } = await receipts(run, journal);
    for (const text of [md, html]) {
      expect(text).not.toContain('<script>');
      expect(text).not.toMatch(/\u001b/);
    }
  });
});
