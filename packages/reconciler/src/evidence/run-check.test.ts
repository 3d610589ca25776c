import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkPassed, runCheck } from './run-check.js';

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

const dirs: string[] = [];
const pids: number[] = [];
afterEach(() => {
  for (const pid of pids.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('runCheck', () => {
  it('kills the whole process group on timeout', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'godmode-check-'));
    dirs.push(dir);
    const check = await runCheck({ command: 'sleep 300 & echo $! > child.pid; wait', cwd: dir, timeoutMs: 500 });
    const child = Number(readFileSync(path.join(dir, 'child.pid'), 'utf8'));
    pids.push(child);
    expect(check.timedOut).toBe(true);
    expect(check.exitCode).toBeNull();
    expect(checkPassed(check)).toBe(false);
    await new Promise((r) => setTimeout(r, 100));
    expect(alive(child)).toBe(false);
  });

  it('reports a command that cannot run as a failed check, not a throw', async () => {
    const check = await runCheck({ command: 'definitely-not-a-command-xyz', cwd: os.tmpdir(), timeoutMs: 5_000 });
    expect(check.exitCode).toBe(127);
    expect(checkPassed(check)).toBe(false);
    const nowhere = await runCheck({ command: 'true', cwd: '/nonexistent/dir', timeoutMs: 5_000 });
    expect(checkPassed(nowhere)).toBe(false);
    expect(nowhere.outputTail).toContain('could not run');
  });
});
