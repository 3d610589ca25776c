import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pidAlive } from './pid-alive.js';

describe('pidAlive', () => {
  it('is true for a live process and false for a zombie nobody reaped', async () => {
    // The child ends only once the shell has exec'd into `sleep`, which never waits, so it stays a zombie. (It used
    // to be `sleep 0`, which under load could end, and be reaped by the shell, before the exec: ENOENT on its /proc.)
    const parent = spawn('sh', ['-c', 'p=$$; (while [ "$(cat /proc/$p/comm)" != sleep ]; do sleep 0.01; done) & echo $!; exec sleep 30'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const zombie = Number(await new Promise<string>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(d.toString()))));
    try {
      const deadline = Date.now() + 5_000;
      while (!readFileSync(`/proc/${zombie}/stat`, 'latin1').includes(') Z') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(readFileSync(`/proc/${zombie}/stat`, 'latin1')).toContain(') Z');
      expect(pidAlive(zombie)).toBe(false);
      expect(pidAlive(parent.pid!)).toBe(true);
      expect(pidAlive(process.pid)).toBe(true);
    } finally {
      parent.kill('SIGKILL');
    }
  });
});
