import { describe, expect, it } from 'vitest';
import { isSameProcess, readIdentity } from './identity.js';
import { parseProcStat, readProcStat } from './proc-stat.js';

describe('/proc readers', () => {
  it('parses a stat line whose command name holds spaces and parentheses', () => {
    const line = '4242 (we ird) (name) S 1 4242 4242 0 -1 4194560 100 0 0 0 7 3 0 0 20 0 1 0 987654 1000 10 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0';
    expect(parseProcStat(line)).toMatchObject({ pid: 4242, state: 'S', ppid: 1, pgid: 4242, sid: 4242, utime: 7, stime: 3, startTime: '987654' });
  });

  it('reads a /proc file larger than its shared buffer whole', async () => {
    const { readProcFile } = await import('./proc-stat.js');
    const { spawnSync } = await import('node:child_process');
    const big = 'x'.repeat(40_000);
    const r = spawnSync(process.execPath, ['-e', `process.stdout.write(require('fs').readFileSync('/proc/self/environ','latin1').length.toString())`], { env: { BIG: big, TAIL: 'end' }, encoding: 'utf8' });
    expect(Number(r.stdout)).toBeGreaterThan(40_000);
    const mine = readProcFile(`/proc/${process.pid}/environ`);
    expect(mine).toBe((await import('node:fs')).readFileSync(`/proc/${process.pid}/environ`, 'latin1'));
  });

  it('knows this very process, refuses an identity whose start time differs, and keeps one whose command line changed', () => {
    const me = readIdentity(process.pid)!;
    expect(me.cmdline).toContain('node');
    expect(readProcStat(process.pid)?.pid).toBe(process.pid);
    expect(isSameProcess({ pid: process.pid, ...me })).toBe(true);
    expect(isSameProcess({ pid: process.pid, startTime: String(Number(me.startTime) + 1), cmdline: me.cmdline })).toBe(false);
    // The command line is not identity: Claude Code renames its own process to `claude`.
    expect(isSameProcess({ pid: process.pid, startTime: me.startTime, cmdline: 'claude' })).toBe(true);
  });
});
