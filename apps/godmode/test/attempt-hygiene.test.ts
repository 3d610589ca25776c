import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, godmode, journalOf, processesOfRun, runDirs, tempProject } from './helpers.js';

// Issue 12 through the whole conductor: a worker's descendants never outlive its run, and a claim belongs to
// the attempt that wrote it.
beforeAll(() => ensureBuilt(), 600_000);

function plan(project: string, name: string, command: string, extra = ''): string {
  const file = join(project, `${name}.yaml`);
  writeFileSync(
    file,
    `name: ${name}
repo: false
settings: { samplePeriodMs: 200, stallWindowMs: 5000, budgetMs: 30000, maxAttempts: 2, retryBaseMs: 100, canaries: 0 }
phases:
  - id: p
    streams:
      - id: s
        worker: { adapter: command, options: { command: '${command}' } }
        deliverables: [out.txt]
${extra}`,
  );
  return file;
}

describe('what a worker leaves behind', { timeout: 120_000 }, () => {
  it('a worker that exits 0 after starting a setsid child and a double-forked grandchild leaves nothing running once orchestra run returns', async () => {
    const project = tempProject();
    // The setsid'd child leaves the worker's group and session; the double fork re-parents to init inside it.
    const command = `echo done > "$GODMODE_WORKDIR/out.txt"; setsid sh -c "sleep 300" & (sh -c "sleep 301 &" &); exit 0`;
    const run = await godmode(['orchestra', 'run', plan(project, 'orphans', command), '--cwd', project]);
    expect(run.code, run.stderr).toBe(0);
    const [dir] = runDirs(project);
    expect(processesOfRun(dir!)).toEqual([]);
  });

  it('a background child that writes its deliverable 2 s after the worker exited counts in the verdict', async () => {
    const project = tempProject();
    const command = `(sleep 2; echo late > "$GODMODE_WORKDIR/out.txt") & exit 0`;
    const run = await godmode(['orchestra', 'run', plan(project, 'late', command), '--cwd', project]);
    const [dir] = runDirs(project);
    const verdict = JSON.parse(readFileSync(join(dir!, 'streams/s/verdict.json'), 'utf8'));
    expect(verdict.status, verdict.sentence).toBe('shipped');
    expect(run.code).toBe(0);
    expect(processesOfRun(dir!)).toEqual([]);
  });
});

describe('a claim belongs to its attempt', { timeout: 120_000 }, () => {
  it("attempt 1's result.json does not judge attempt 2, which wrote nothing", async () => {
    const project = tempProject();
    // Attempt 1 claims success and ships nothing; attempt 2 writes neither claim nor file.
    const command = `if [ "$GODMODE_ATTEMPT" = 1 ]; then echo "{\\"status\\":\\"shipped\\",\\"summary\\":\\"all done\\"}" > "$GODMODE_RESULT"; fi; exit 1`;
    const run = await godmode(['orchestra', 'run', plan(project, 'stale', command), '--cwd', project]);
    expect(run.code).toBe(1);
    const [dir] = runDirs(project);
    const verdict = JSON.parse(readFileSync(join(dir!, 'streams/s/verdict.json'), 'utf8'));
    expect(verdict.attempt).toBe(2);
    expect(verdict.status).toBe('missing');
    expect(verdict.divergence).toBe('no-claim');
    // The first attempt's claim is kept with that attempt, not lost.
    expect(existsSync(join(dir!, 'streams/s/attempts/1/result.json'))).toBe(true);
    const reconciled = journalOf(dir!).filter((e) => e.kind === 'stream.reconciled');
    expect(reconciled[0]!.payload.divergence).toBe('overstated');
  });
});
