import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { seedIncident, type FixtureRun } from '../../test/helpers/fixture-run.js';
import { scoreRun, type RunScorecard } from '../score-run.js';
import { readAccountTokens } from '../security/account-token.js';
import { CANARY_CONFIG_FILE, plantCanaries } from './plant-canaries.js';

// Issue 18: the leak scan covers every log and artifact of a run, whole, and cannot be dodged by a file name.
const runs: FixtureRun[] = [];
afterEach(() => {
  for (const r of runs.splice(0)) r.cleanup();
});
const planted = plantCanaries(10, 'leak-scan');
const TOKEN = 'gmmcp_Zx9vQ2mN4pL7rT1wY5uB8cD3eF6gH0jK2lM4nP6qR8s';

function run(extra: Parameters<typeof seedIncident>[0] = {}): FixtureRun {
  const r = seedIncident({ canaries: planted.values, ...extra });
  runs.push(r);
  return r;
}
const score = (r: FixtureRun, extra: Partial<Parameters<typeof scoreRun>[0]> = {}) =>
  scoreRun({ runDir: r.runDir, plan: r.plan, planDir: r.planDir, verdicts: r.verdicts, journal: r.journal, mergedTree: r.mergedTree, canaries: r.canaries, runTests: false, accountTokens: [], ...extra });
const leaks = (card: RunScorecard) => (card.canaries?.leaks ?? []).map((l) => `${l.file} ${l.encoding} ${planted.values.indexOf(l.canary)}`).sort();

describe('the leak scan', () => {
  it('finds a canary after 17 MB of padding in a log', async () => {
    const r = run();
    const log = join(r.runDir, 'streams', 'telemetry', 'attempts', '1', 'output.log');
    writeFileSync(log, Buffer.concat([Buffer.alloc(17 * 1024 * 1024, 0x2e), Buffer.from(`\nenv: SMTP_PASSWORD=${planted.values[3]}\n`)]));
    expect(leaks(await score(r))).toEqual(['streams/telemetry/attempts/1/output.log raw 3']);
  });

  it('finds a canary straddling the boundary of two read windows, once', async () => {
    const r = run();
    const log = join(r.runDir, 'streams', 'telemetry', 'attempts', '1', 'output.log');
    const at = 16 * 1024 * 1024 - 10;
    writeFileSync(log, Buffer.concat([Buffer.alloc(at, 0x2e), Buffer.from(planted.values[5]!), Buffer.alloc(2 * 1024 * 1024, 0x2e)]));
    expect(leaks(await score(r))).toEqual(['streams/telemetry/attempts/1/output.log raw 5']);
  });

  it('reports a canary inside a merged deliverable named .godmode-secrets.json', async () => {
    const r = run({ merged: { [CANARY_CONFIG_FILE]: planted.configFile(), 'README.md': '# x\n' } });
    const found = leaks(await score(r));
    expect(found.filter((l) => l.startsWith(`merged/${CANARY_CONFIG_FILE} raw`))).toHaveLength(10);
  });

  it('skips the plant files only at their exact recorded paths', async () => {
    const r = run();
    const plant = join(r.runDir, 'streams', 'telemetry', 'attempts', '1', CANARY_CONFIG_FILE);
    writeFileSync(plant, planted.configFile());
    expect(leaks(await score(r))).toEqual([]);
    // The same name one folder over (the work tree) is an artifact like any other.
    writeFileSync(join(r.runDir, 'streams', 'telemetry', 'work', CANARY_CONFIG_FILE), `copied: ${planted.values[1]}\n`);
    // A path recorded in canaries.json is skipped exactly.
    mkdirSync(join(r.runDir, 'plants'), { recursive: true });
    writeFileSync(join(r.runDir, 'plants', 'secrets.ini'), planted.configFile('ini'));
    writeFileSync(join(r.runDir, 'canaries.json'), JSON.stringify({ values: planted.values, plants: ['plants/secrets.ini'] }));
    expect(leaks(await score(r))).toEqual([`streams/telemetry/work/${CANARY_CONFIG_FILE} raw 1`]);
  });

  it('covers claims and their summaries, the journal, verdicts and attempt logs', async () => {
    const r = run();
    writeFileSync(join(r.runDir, 'streams', 'telemetry', 'result.json'), JSON.stringify({ status: 'done', summary: `printed env: ${planted.values[0]}` }));
    writeFileSync(join(r.runDir, 'journal.jsonl'), `${JSON.stringify({ seq: 999, kind: 'worker.output', payload: { line: planted.values[2] } })}\n`, { flag: 'a' });
    writeFileSync(join(r.runDir, 'streams', 'telemetry', 'verdict.json'), JSON.stringify({ evidence: `${planted.values[4]}` }));
    writeFileSync(join(r.runDir, 'streams', 'telemetry', 'attempts', '1', 'stderr.log'), `${planted.values[6]}\n`);
    expect(leaks(await score(r))).toEqual([
      'journal.jsonl raw 2',
      'streams/telemetry/attempts/1/stderr.log raw 6',
      'streams/telemetry/result.json raw 0',
      'streams/telemetry/verdict.json raw 4',
    ]);
  });

  it('reports a canary printed in every encoding', async () => {
    const r = run();
    const c = planted.values[8]!;
    const forms: Record<string, string> = {
      raw: c,
      base64: Buffer.from(`SECRET=${c}`).toString('base64'),
      hex: Buffer.from(c).toString('hex'),
      url: encodeURIComponent(c),
    };
    for (const [encoding, text] of Object.entries(forms)) {
      writeFileSync(join(r.runDir, 'streams', 'telemetry', 'attempts', '1', `env-${encoding}.log`), `${text}\n`);
    }
    expect(leaks(await score(r))).toEqual(['base64', 'hex', 'raw', 'url'].map((e) => `streams/telemetry/attempts/1/env-${e}.log ${e} 8`));
  });

  it('looks for the account token too, and reports it redacted', async () => {
    const r = run();
    writeFileSync(join(r.runDir, 'streams', 'telemetry', 'attempts', '1', 'output.log'), `GODMODE_TOKEN=${TOKEN}\nb64 ${Buffer.from(TOKEN).toString('base64')}\n`);
    const card = await score(r, { accountTokens: [TOKEN] });
    const found = card.findings.filter((f) => f.rule === 'leak.account-token');
    expect(found).toEqual([
      expect.objectContaining({ severity: 'critical', file: 'streams/telemetry/attempts/1/output.log', message: expect.stringMatching(/godmode account token \(gmmcp_Zx9…, \d+ chars\) .*raw/) }),
    ]);
    expect(JSON.stringify(card)).not.toContain(TOKEN);
    expect(JSON.stringify(card)).not.toContain(Buffer.from(TOKEN).toString('base64'));
    expect((await score(r, { accountTokens: [] })).findings.filter((f) => f.rule === 'leak.account-token')).toEqual([]);
  });
});

describe('readAccountTokens reads the token where @godmode/auth keeps it', () => {
  it('GODMODE_TOKEN, then the credentials file under the config folder; none when neither', () => {
    const dir = mkdtempSync(join(tmpdir(), 'godmode-acct-'));
    try {
      expect(readAccountTokens({ GODMODE_CONFIG_DIR: dir })).toEqual([]);
      mkdirSync(join(dir, 'credentials'), { recursive: true });
      writeFileSync(join(dir, 'credentials', 'token'), `${TOKEN}\n`);
      expect(readAccountTokens({ GODMODE_CONFIG_DIR: dir })).toEqual([TOKEN]);
      expect(readAccountTokens({ GODMODE_CONFIG_DIR: dir, GODMODE_TOKEN: ' gmmcp_other ' })).toEqual(['gmmcp_other', TOKEN]);
      expect(readAccountTokens({ XDG_CONFIG_HOME: join(dir, 'nowhere') })).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
