import { afterEach, describe, expect, it } from 'vitest';
import { makeFixtureRun, type FixtureRun } from '../../test/helpers/fixture-run.js';
import { renderReceiptMarkdown } from '../receipt/render-markdown.js';
import { scoreRun } from '../score-run.js';
import { exitFailure } from './worker-records.js';

// Which `worker.exited` entries are a failure of the worker ("What broke") and which are godmode ending it on purpose.
const cases: Array<[string, Record<string, unknown>, string | null]> = [
  ['clean exit', { how: 'exited', exitCode: 0, signal: null, stopped: null }, null],
  ['crash with a code', { how: 'exited', exitCode: 1, signal: null, stopped: null }, 'exited with code 1 (exited)'],
  ['killed from outside (143, nobody in godmode asked)', { how: 'exited', exitCode: 143, signal: null, stopped: null }, 'exited with code 143 (exited)'],
  ['killed by a signal from outside', { how: 'exited', exitCode: null, signal: 'SIGSEGV', stopped: null }, 'exited by SIGSEGV (exited)'],
  ['stopped on purpose after shipping (143)', { how: 'exited', exitCode: 143, signal: null, stopped: 'stopped' }, null],
  ['stopped on purpose by SIGTERM', { how: 'exited', exitCode: null, signal: 'SIGTERM', stopped: 'stopped' }, null],
  ['stopped after its final result', { how: 'after-result', exitCode: 143, signal: null, stopped: 'after-result' }, null],
  ['an older journal: after-result without `stopped`', { how: 'after-result', exitCode: 143, signal: null }, null],
  ['reaped (the reap is its own incident)', { how: 'reaped', exitCode: null, signal: 'SIGKILL', stopped: 'reaped' }, null],
  ['ended because its spawn could not be journaled', { how: 'reaped', exitCode: null, signal: 'SIGTERM', stopped: 'unrecorded' }, null],
  ['a worker that exited 0 while being stopped', { how: 'exited', exitCode: 0, signal: null, stopped: 'stopped' }, null],
  ['an unknown `stopped` word is not trusted as deliberate', { how: 'exited', exitCode: 2, signal: null, stopped: 'whatever' }, 'exited with code 2 (exited)'],
  ['adopted and vanished, code unknown', { how: 'vanished', exitCode: null, signal: null, stopped: null }, null],
];

describe('exitFailure', () => {
  it.each(cases)('%s', (_name, payload, expected) => {
    expect(exitFailure(payload)).toBe(expected);
  });
});

let run: FixtureRun | undefined;
afterEach(() => run?.cleanup());

describe('the receipt of a run where godmode stopped a shipped worker on purpose', () => {
  it('lists the worker that really crashed under "What broke", not the one it stopped', async () => {
    run = makeFixtureRun({
      streams: [
        { id: 'shipped', files: { 'a.txt': 'real content of a\n' } },
        { id: 'crashed', files: {}, deliverables: ['b.txt'] },
      ],
    });
    for (const e of run.journal) {
      if (e.kind !== 'worker.exited') continue;
      const p = e.payload as Record<string, unknown> & { worker: { stream: string } };
      // As the supervisor journals them: stopGracefully → `stopped: 'stopped'`, SIGTERM's 143; a crash → code 1, `stopped: null`.
      Object.assign(p, p.worker.stream === 'shipped' ? { how: 'exited', exitCode: 143, signal: null, stopped: 'stopped', reason: null } : { how: 'exited', exitCode: 1, signal: null, stopped: null, reason: null });
    }
    const scorecard = await scoreRun({ runDir: run.runDir, plan: run.plan, planDir: run.planDir, verdicts: run.verdicts, journal: run.journal, mergedTree: run.mergedTree, canaries: run.canaries, runTests: false });
    const md = renderReceiptMarkdown({ runDir: run.runDir, plan: run.plan, scorecard, verdicts: run.verdicts, journal: run.journal });
    const broke = md.slice(md.indexOf('## What broke'), md.indexOf('## Security findings'));
    expect(broke).toMatch(/\| crashed #1 \| exited \| exited with code 1/);
    expect(broke).not.toContain('shipped #1');
    expect(broke).not.toContain('143');
  });
});
