import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PLAN_MAX_BYTES, PlanError } from '@godmode/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { PlanFileError } from './errors/plan-file-error.js';
import { loadPlanFile } from './load-plan-file.js';

const good = 'name: p\nphases:\n  - id: one\n    streams:\n      - id: a\n        worker: { adapter: command, options: { command: "true" } }\n';
let dir = '';
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('loadPlanFile refuses what is not a plan file', () => {
  it('a FIFO is refused at once (reading it would wait forever for a writer)', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'godmode-plan-'));
    const fifo = path.join(dir, 'plan.yaml');
    execFileSync('mkfifo', [fifo]);
    const error = await loadPlanFile(fifo).catch((e: unknown) => e);
    expect(PlanFileError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/not a regular file \(a FIFO\)/);
  });

  it.each([
    ['/dev/null', /not a regular file \(a character device\)/],
    ['/dev/zero', /not a regular file \(a character device\)/],
  ])('%s is refused', async (file, message) => {
    await expect(loadPlanFile(file)).rejects.toThrow(message);
  });

  it('a folder is refused', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'godmode-plan-'));
    await expect(loadPlanFile(dir)).rejects.toThrow(/it is a folder/);
  });

  it('a plan over 1 MiB is refused without being parsed', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'godmode-plan-'));
    const file = path.join(dir, 'big.yaml');
    await writeFile(file, `${good}# ${'x'.repeat(PLAN_MAX_BYTES)}\n`);
    const error = await loadPlanFile(file).catch((e: unknown) => e);
    expect(PlanError.isInstance(error) || PlanFileError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/larger than 1 MiB/);
  });

  it('a symlink to a regular plan file is read', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'godmode-plan-'));
    await writeFile(path.join(dir, 'real.yaml'), good);
    await symlink(path.join(dir, 'real.yaml'), path.join(dir, 'link.yaml'));
    await expect(loadPlanFile(path.join(dir, 'link.yaml'))).resolves.toMatchObject({ plan: { name: 'p' } });
    void spawn;
  });
});
