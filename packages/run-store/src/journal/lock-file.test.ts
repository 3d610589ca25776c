import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LockFile } from './lock-file.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'godmode-lock-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The pid of a process that has just exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('LockFile', () => {
  it('is exclusive and removes only its own lock', async () => {
    const file = path.join(dir, 'x.lock');
    const a = new LockFile(file);
    const b = new LockFile(file, { timeoutMs: 100 });
    await a.acquire();
    await expect(b.acquire()).rejects.toMatchObject({ code: 'LOCK_TIMEOUT' });
    a.release();
    expect(existsSync(file)).toBe(false);
    await b.acquire();
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    b.release();
  });

  it('breaks at once a lock left by a dead process on this host', async () => {
    const file = path.join(dir, 'x.lock');
    await writeFile(file, JSON.stringify({ pid: deadPid(), host: hostname(), nonce: 'dead' }));
    const started = Date.now();
    const lock = new LockFile(file, { timeoutMs: 5_000 });
    await lock.acquire();
    expect(Date.now() - started).toBeLessThan(2_000);
    lock.release();
  });

  it('breaks an empty lock (creator killed between open and write) once it is a second old, not before', async () => {
    const file = path.join(dir, 'x.lock');
    await writeFile(file, '');
    await expect(new LockFile(file, { timeoutMs: 50 }).acquire()).rejects.toMatchObject({ code: 'LOCK_TIMEOUT' });
    const old = new Date(Date.now() - 5_000);
    await utimes(file, old, old);
    const lock = new LockFile(file, { timeoutMs: 1_000 });
    await lock.acquire();
    lock.release();
  });

  it('waits for a live holder rather than breaking its lock', async () => {
    const file = path.join(dir, 'x.lock');
    await writeFile(file, JSON.stringify({ pid: process.pid, host: hostname(), nonce: 'alive' }));
    await expect(new LockFile(file, { timeoutMs: 100 }).acquire()).rejects.toMatchObject({ code: 'LOCK_TIMEOUT' });
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ nonce: 'alive' });
  });
});
