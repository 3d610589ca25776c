import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parsePlan, planSchema } from '@godmode/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunStore, createRun } from '../run-store.js';

// The memo skips the plan schema only for bytes this user's godmode validated under the same revision: these
// tests count validations by what the memo folder holds and check that a changed byte, another revision, or
// a memo planted in the run folder never lets an invalid plan through.
const planText = `
name: memo
phases:
  - id: build
    streams:
      - id: api
        worker: { adapter: command, options: { command: "node api.js" } }
        deliverables: [api.ts]
        check: { command: "node -e 0" }
  - id: docs
    streams:
      - id: docs
        worker: { adapter: claude, options: { prompt: "write docs" } }
`;

let dir = '';
let env: NodeJS.ProcessEnv = {};
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'godmode-plan-memo-'));
  env = { GODMODE_STATE_DIR: path.join(dir, 'state') };
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const open = (runDir: string, revision: string | undefined) => new RunStore(runDir, { planMemo: { revision, env } });
const memoFiles = (revision: string) => {
  const folder = path.join(dir, 'state', 'validated-plans', revision);
  return existsSync(folder) ? readdirSync(folder) : [];
};

describe('validated plans memo', () => {
  // The memo hands back the stored plan as is: it must be what the schema makes of it (its transforms are idempotent).
  const repo = new URL('../../../../', import.meta.url).pathname;
  const plans: Array<[string, string]> = [
    ['the test plan', planText],
    ['a glob deliverable and a check object', planText.replace('deliverables: [api.ts]', 'deliverables: [{ glob: "src/**/*.ts", min: 2 }]').replace('check: { command: "node -e 0" }', 'check: "node -e 0"')],
    ...['apps/godmode/demo/plan.yaml', 'examples/three-streams/plan.yaml'].map((f): [string, string] => [f, readFileSync(path.join(repo, f), 'utf8')]),
  ];
  it.each(plans)('%s read back is what the schema makes of it', (_name, text) => {
    const plan = parsePlan(text, 'plan.yaml');
    expect(planSchema.parse(JSON.parse(JSON.stringify(plan)))).toEqual(plan);
  });

  it('validates once per content and revision, then reads the same plan from the memo', async () => {
    const created = await createRun({ root: path.join(dir, 'runs'), plan: parsePlan(planText, 'plan.yaml'), planDir: dir });
    const first = await open(created.dir, 'aaaa1111').readPlan();
    expect(memoFiles('aaaa1111')).toHaveLength(1);
    expect(await open(created.dir, 'aaaa1111').readPlan()).toEqual(first);
    // Another revision validates again, and its first record drops the old revision's folder.
    expect(await open(created.dir, 'bbbb2222').readPlan()).toEqual(first);
    expect(memoFiles('bbbb2222')).toHaveLength(1);
    expect(memoFiles('aaaa1111')).toHaveLength(0);
  });

  it('an invalid plan is refused even when its valid predecessor was memoised, and is never memoised itself', async () => {
    const created = await createRun({ root: path.join(dir, 'runs'), plan: parsePlan(planText, 'plan.yaml'), planDir: dir });
    await open(created.dir, 'aaaa1111').readPlan();
    const record = JSON.parse(await readFile(created.layout.planFile, 'utf8'));
    record.plan.phases[0].streams[0].worker.adapter = 42;
    await writeFile(created.layout.planFile, JSON.stringify(record));
    await expect(open(created.dir, 'aaaa1111').readPlan()).rejects.toMatchObject({ code: 'RUN_FILE_DAMAGED' });
    expect(memoFiles('aaaa1111')).toHaveLength(1);
  });

  it("each run's plan.json has its own memo, which vouches for its bytes only", async () => {
    const one = await createRun({ root: path.join(dir, 'runs'), plan: parsePlan(planText, 'plan.yaml'), planDir: dir });
    const two = await createRun({ root: path.join(dir, 'runs'), plan: parsePlan(planText.replace('name: memo', 'name: other'), 'plan.yaml'), planDir: dir });
    await open(one.dir, 'aaaa1111').readPlan();
    await open(two.dir, 'aaaa1111').readPlan();
    expect(memoFiles('aaaa1111')).toHaveLength(2);
    // Run two's file replaced by an invalid plan: its memo does not vouch for these bytes, so it is validated and refused.
    const record = JSON.parse(await readFile(one.layout.planFile, 'utf8'));
    record.plan.phases[0].streams[0].worker.adapter = 42;
    await writeFile(two.layout.planFile, JSON.stringify(record));
    await expect(open(two.dir, 'aaaa1111').readPlan()).rejects.toMatchObject({ code: 'RUN_FILE_DAMAGED' });
  });

  it('a memo planted in the run folder, or no revision (running from source), validates every time', async () => {
    const created = await createRun({ root: path.join(dir, 'runs'), plan: parsePlan(planText, 'plan.yaml'), planDir: dir });
    const record = JSON.parse(await readFile(created.layout.planFile, 'utf8'));
    record.plan.phases = 'not phases';
    await writeFile(created.layout.planFile, JSON.stringify(record));
    await writeFile(path.join(created.dir, 'validated-plans'), 'x');
    await expect(open(created.dir, undefined).readPlan()).rejects.toMatchObject({ code: 'RUN_FILE_DAMAGED' });
    await expect(open(created.dir, '../../etc').readPlan()).rejects.toMatchObject({ code: 'RUN_FILE_DAMAGED' });
    expect(existsSync(path.join(dir, 'state'))).toBe(false);
  });
});
