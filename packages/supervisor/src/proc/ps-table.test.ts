import { describe, expect, it } from 'vitest';
import { chooseProcessTable } from './process-table.js';
import { envValueIn, parseCpuTime, parsePsLine, psTable } from './ps-table.js';
import { procTable } from './proc-table.js';

describe('the ps process table', () => {
  it('parses ps lines as procps (Linux) and BSD (macOS) print them', () => {
    const linux = parsePsLine('  4242     1  4242  4242 Ss   Tue Dec  1 09:27:26 2026 01:02:03 /bin/sh -c sleep 300');
    expect(linux).toMatchObject({ pid: 4242, ppid: 1, pgid: 4242, sid: 4242, state: 'S', utime: 372_300, command: '/bin/sh -c sleep 300' });
    expect(linux?.startTime).toBe(String(Math.floor(new Date(2026, 11, 1, 9, 27, 26).getTime() / 1000)));
    const mac = parsePsLine('  501   300   501 0x1234abcd R+   Mon Nov 30 23:59:59 2026   0:01.25 claude');
    expect(mac).toMatchObject({ pid: 501, sid: -1, state: 'R', utime: 125, command: 'claude' });
    expect(parsePsLine('  7     2     0     0 I<   Tue Dec  1 09:27:26 2026 00:00:00 [kworker/R-rcu_gp]')?.command).toBe('[kworker/R-rcu_gp]');
    expect(parsePsLine('garbage')).toBeNull();
    const times: Array<[string, number]> = [['00:00:00', 0], ['00:01:05', 65], ['1-00:00:01', 86_401], ['0:01.25', 1.25], ['12:34.50', 754.5], ['1:02:03.04', 3723.04]];
    for (const [text, seconds] of times) expect(parseCpuTime(text), text).toBeCloseTo(seconds, 5);
  });

  it('finds a variable in a command line with its environment appended, values with spaces included', () => {
    expect(envValueIn(' node x.js A=1 GODMODE_RUN_DIR=/tmp/my run B=2', 'GODMODE_RUN_DIR')).toBe('/tmp/my run');
    expect(envValueIn(' node x.js GODMODE_WORKER_MARK=api:1:2:3', 'GODMODE_WORKER_MARK')).toBe('api:1:2:3');
    expect(envValueIn(' node x.js', 'HOME')).toBeNull();
  });

  it('reads this very process the same way as /proc does', () => {
    const ps = psTable.stat(process.pid)!;
    const proc = procTable.stat(process.pid);
    expect(ps).toMatchObject({ pid: process.pid, ppid: process.ppid });
    if (proc) expect({ pgid: ps.pgid, sid: ps.sid }).toEqual({ pgid: proc.pgid, sid: proc.sid });
    expect(psTable.envVar('PATH', [process.pid]).get(process.pid)).toBe(process.env.PATH);
    expect(psTable.scan().has(process.pid)).toBe(true);
  });

  it('is chosen when forced, or where /proc is absent', () => {
    expect(chooseProcessTable({ GODMODE_PROCESS_TABLE: 'ps' }).kind).toBe('ps');
    expect(chooseProcessTable({ GODMODE_PROCESS_TABLE: 'proc' }).kind).toBe('proc');
  });
});
