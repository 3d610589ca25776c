import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { insideRun, runLayout, runsRoot } from './layout.js';
import { newRunId, slugify } from './run-id.js';

describe('runLayout', () => {
  it('places every file of the run directory', () => {
    const l = runLayout('/p/.godmode/runs/r1');
    expect([l.planFile, l.journalFile, l.leaseFile, l.scorecardFile, l.receiptMd, l.receiptHtml, l.conductorLog]).toEqual([
      '/p/.godmode/runs/r1/plan.json',
      '/p/.godmode/runs/r1/journal.jsonl',
      '/p/.godmode/runs/r1/lease.json',
      '/p/.godmode/runs/r1/scorecard.json',
      '/p/.godmode/runs/r1/receipt.md',
      '/p/.godmode/runs/r1/receipt.html',
      '/p/.godmode/runs/r1/conductor.log',
    ]);
    expect([l.streamDir('api'), l.workDir('api'), l.attemptDir('api', 2), l.resultFile('api'), l.verdictFile('api')]).toEqual([
      '/p/.godmode/runs/r1/streams/api',
      '/p/.godmode/runs/r1/streams/api/work',
      '/p/.godmode/runs/r1/streams/api/attempts/2',
      '/p/.godmode/runs/r1/streams/api/result.json',
      '/p/.godmode/runs/r1/streams/api/verdict.json',
    ]);
    expect(runsRoot('/p')).toBe('/p/.godmode/runs');
    expect(runLayout('rel').runDir).toBe(path.resolve('rel'));
  });

  it('keeps writes inside the run', () => {
    expect(insideRun('/r', 'a/b.json')).toBe('/r/a/b.json');
    for (const bad of ['', '.', '..', '../x', 'a/../../x', '/etc/passwd', 'a\0b']) expect(insideRun('/r', bad)).toBeNull();
  });
});

describe('newRunId', () => {
  it('is sortable by start time and names the plan', () => {
    const a = newRunId('My Plan!', new Date('2026-11-24T11:01:02Z'));
    const b = newRunId('My Plan!', new Date('2026-11-24T11:01:03Z'));
    expect(a).toMatch(/^20261124-110102-my-plan-[a-z0-9]{4}$/);
    expect([b, a].sort()).toEqual([a, b]);
    expect(newRunId('x')).not.toBe(newRunId('x'));
    expect(slugify('***')).toBe('run');
    expect(slugify('a'.repeat(100))).toHaveLength(40);
  });
});
