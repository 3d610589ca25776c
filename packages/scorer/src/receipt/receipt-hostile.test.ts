import { afterEach, describe, expect, it } from 'vitest';
import { makeFixtureRun, type FixtureRun } from '../../test/helpers/fixture-run.js';
import { scoreRun } from '../score-run.js';
import { renderReceiptHtml } from './render-html.js';
import { renderReceiptMarkdown } from './render-markdown.js';

const ESC = '\u001b';
const hostile = `${ESC}[2J${ESC}]0;pwned\u0007<script>alert(1)</script>\n| forged | row |\u202e\`x\``;

let run: FixtureRun | undefined;
afterEach(() => run?.cleanup());

async function receipts(r: FixtureRun) {
  const scorecard = await scoreRun({ runDir: r.runDir, plan: r.plan, planDir: r.planDir, verdicts: r.verdicts, journal: r.journal, mergedTree: r.mergedTree, canaries: r.canaries, runTests: false });
  const input = { runDir: r.runDir, plan: r.plan, scorecard, verdicts: r.verdicts, journal: r.journal };
  return { md: renderReceiptMarkdown(input), html: renderReceiptHtml(input) };
}

describe('receipts of a hostile worker', () => {
  it('carry no control character, bidi override, tag or forged table row from worker text', async () => {
    run = makeFixtureRun({
      streams: [{ id: 'evil', files: { 'a.txt': 'real content here\n' }, claim: { status: hostile }, attempts: [{ error: true }] }],
    });
    // A worker's error message is worker text too.
    for (const e of run.journal) if (e.kind === 'worker.error') (e.payload as Record<string, unknown>).message = hostile;
    const { md, html } = await receipts(run);
    for (const text of [md, html]) {
      expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      expect(text).not.toContain('<script>');
    }
    expect(md).not.toMatch(/^\| forged \| row \|/m);
    expect(md).toContain('\\\\e\\[2J');
    expect(html).toContain('\\e[2J');
    expect(html).toContain('\\u202e');
  });

  it('say why a worker failed, from its error result in the journal', async () => {
    run = makeFixtureRun({ streams: [{ id: 'api', files: {}, deliverables: ['api.ts'], attempts: [{}] }] });
    const spawned = run.journal.find((e) => e.kind === 'worker.spawned' || e.kind === 'worker.exited')!;
    const worker = (spawned.payload as { worker: unknown }).worker;
    run.journal.push({ seq: 0, at: spawned.at, kind: 'worker.result', token: 1, payload: { type: 'result', worker, t: 1, at: spawned.at, isError: true, subtype: 'success', text: 'API Error: 529 Overloaded', sessionId: null, numTurns: 1, costUsd: 0, usage: null } });
    const { md, html } = await receipts(run);
    expect(md).toMatch(/\| api #1 \| error \| API Error: 529 Overloaded \|/);
    expect(html).toContain('API Error: 529 Overloaded');
  });
});

