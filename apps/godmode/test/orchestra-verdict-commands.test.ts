import { appendFileSync, existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, godmode, journalOf, quickPlan, runDirs, tempProject } from './helpers.js';

// `orchestra reconcile`, `score` and `report` through the built binary, on a real finished run whose
// bookkeeping is then forged: the commands must read the disk and say so.
let project: string;
let runDir: string;
let original: Record<string, any>;

function forgeEveryClaim(dir: string, text: string): number {
  let forged = 0;
  for (const stream of readdirSync(join(dir, 'streams'))) {
    writeFileSync(join(dir, 'streams', stream, 'result.json'), text);
    forged++;
  }
  return forged;
}

beforeAll(async () => {
  ensureBuilt();
  project = tempProject();
  const r = await godmode(['orchestra', 'run', quickPlan, '--cwd', project]);
  expect(r.code, r.stderr).toBe(0);
  [runDir] = runDirs(project) as [string];
  original = JSON.parse(readFileSync(join(runDir, 'scorecard.json'), 'utf8'));
}, 300_000);

describe('godmode orchestra reconcile', () => {
  it('rewrites verdicts from the disk after every claim is forged, and prints claim vs disk', async () => {
    expect(forgeEveryClaim(runDir, JSON.stringify({ status: 'throttled stub', success: false }))).toBe(4);
    const before = journalOf(runDir).length;

    const json = await godmode(['orchestra', 'reconcile', '--json', '--cwd', project]);
    expect(json.code, json.stderr).toBe(0);
    const { verdicts } = JSON.parse(json.stdout);
    expect(verdicts.map((v: any) => [v.stream, v.status, v.divergence])).toEqual([
      ['a', 'shipped', 'understated'],
      ['b', 'shipped', 'understated'],
      ['c', 'shipped', 'understated'],
      ['d', 'shipped', 'understated'],
    ]);
    // Journaled through the run store without the lease, one entry per stream.
    const added = journalOf(runDir).slice(before);
    expect(added.filter((e) => e.kind === 'stream.reconciled').map((e) => e.payload.stream).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(JSON.parse(readFileSync(join(runDir, 'streams', 'a', 'verdict.json'), 'utf8')).divergence).toBe('understated');

    const text = await godmode(['orchestra', 'reconcile', runDir, '--stream', 'b', '--cwd', project]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('claim vs disk');
    expect(text.stdout).toMatch(/b\s+"throttled stub"\s+shipped/);
    expect(text.stdout).toContain('disk wins');
    expect(text.stdout).not.toMatch(/^a\s/m);
  });

  it('says which stream it does not know, and which run is missing, with exit code 2 and no stack trace', async () => {
    const stream = await godmode(['orchestra', 'reconcile', '--stream', 'nope', '--cwd', project]);
    const run = await godmode(['orchestra', 'reconcile', 'no-such-run', '--cwd', project]);
    for (const r of [stream, run]) {
      expect(r.code).toBe(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(stream.stderr).toContain('nope');
    expect(run.stderr).toContain('No run "no-such-run"');
    expect(run.stderr).toContain('godmode orchestra ls');
  });
});

describe('godmode orchestra score', () => {
  it('gives the same scores, points and achievements with forged claims as with the honest ones', async () => {
    const r = await godmode(['orchestra', 'score', '--json', '--skip-commands', '--cwd', project]);
    expect(r.code, r.stderr).toBe(0);
    const card = JSON.parse(r.stdout);
    // The evidence quotes the (forged) claims; the numbers must not move.
    for (const name of Object.keys(original.dimensions)) expect(card.dimensions[name].score, name).toBe(original.dimensions[name].score);
    expect(card.dimensions.completeness.score).toBe(1);
    expect(card.game.points).toBe(original.game.points);
    expect(card.game.achievements).toEqual(original.game.achievements);
    expect(card.overall).toBe(original.overall);
    expect(JSON.parse(readFileSync(join(runDir, 'scorecard.json'), 'utf8')).computedAt).toBe(card.computedAt);
  });

  it('reads past a torn journal tail (a conductor killed mid-write)', async () => {
    appendFileSync(join(runDir, 'journal.jsonl'), '{"seq": 99999, "kind": "str');
    const r = await godmode(['orchestra', 'score', '--skip-commands', '--cwd', project]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('completeness');
    expect(r.stdout).toContain(`${original.game.points} points`);
  });
});

describe('godmode orchestra report', () => {
  it('prints the markdown receipt, the HTML receipt path, and the scorecard as JSON', async () => {
    const md = await godmode(['orchestra', 'report', '--cwd', project]);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toContain('## TL;DR');
    expect(md.stdout).toMatch(/claimed success for 0/);

    const html = await godmode(['orchestra', 'report', '--format', 'html', '--cwd', project]);
    expect(html.code, html.stderr).toBe(0);
    const file = html.stdout.trim();
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('<svg');

    const json = await godmode(['orchestra', 'report', '--format', 'json', '--cwd', project]);
    expect(JSON.parse(json.stdout).run).toBe(original.run);
  });

  it('refuses an unknown format and a run that lost its plan.json, saying what to do', async () => {
    const format = await godmode(['orchestra', 'report', '--format', 'pdf', '--cwd', project]);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/md, html, json/);

    renameSync(join(runDir, 'plan.json'), join(runDir, 'plan.json.bak'));
    try {
      const lost = await godmode(['orchestra', 'report', '--cwd', project]);
      expect(lost.code).toBe(2);
      expect(lost.stderr).toContain('has a journal but no plan.json');
      expect(lost.stderr).not.toMatch(/\n\s+at /);
    } finally {
      renameSync(join(runDir, 'plan.json.bak'), join(runDir, 'plan.json'));
    }
  });
});
