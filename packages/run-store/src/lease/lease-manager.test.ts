import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LeaseLostError } from '../errors/lease-lost-error.js';
import { LeaseManager } from './lease-manager.js';

let dir = '';
const manager = () => new LeaseManager({ runDir: dir, leaseFile: path.join(dir, 'lease.json'), leasesDir: path.join(dir, 'leases') });

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'godmode-lease-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('LeaseManager', () => {
  it('grants a free lease with token 1 and publishes it in lease.json', async () => {
    const leases = manager();
    expect(await leases.read()).toBeNull();
    const lease = await leases.acquire({ holder: 'a', ttlMs: 10_000 });
    expect(lease).toMatchObject({ holder: 'a', token: 1, pid: process.pid, released: false });
    expect(JSON.parse(await readFile(path.join(dir, 'lease.json'), 'utf8'))).toEqual(lease);
    expect(await leases.read()).toEqual(lease);
    expect(leases.currentTokenSync()).toBe(1);
  });

  it('refuses a held lease, and hands it over only once expired or released, with a greater token', async () => {
    const leases = manager();
    const a = await leases.acquire({ holder: 'a', ttlMs: 60_000 });
    expect(await leases.acquire({ holder: 'b', ttlMs: 60_000 })).toBeNull();

    await leases.release(a!);
    expect((await leases.read())?.released).toBe(true);
    const b = await leases.acquire({ holder: 'b', ttlMs: 1_500 });
    expect(b?.token).toBe(2);
    expect(await leases.acquire({ holder: 'c', ttlMs: 60_000 })).toBeNull();

    await new Promise((r) => setTimeout(r, 1_600));
    const c = await leases.acquire({ holder: 'c', ttlMs: 60_000 });
    expect(c?.token).toBe(3);
  });

  it('takes a lease from a holder whose process is gone at once, when asked to, and not from a live one', async () => {
    const { spawnSync } = await import('node:child_process');
    const leases = manager();
    await leases.acquire({ holder: 'mine', ttlMs: 60_000 });
    // A live holder (this process) keeps its lease.
    expect(await leases.acquire({ holder: 'b', ttlMs: 60_000, takeFromDeadHolder: true })).toBeNull();
    // Forge the holder into a process that has exited.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const lease = JSON.parse(await readFile(path.join(dir, 'lease.json'), 'utf8'));
    await writeFile(path.join(dir, 'lease.json'), JSON.stringify({ ...lease, pid: Number(dead.stdout) }));
    await writeFile(path.join(dir, 'leases', '1.json'), JSON.stringify({ ...lease, pid: Number(dead.stdout) }));
    expect(await leases.acquire({ holder: 'b', ttlMs: 60_000 })).toBeNull();
    expect((await leases.acquire({ holder: 'b', ttlMs: 60_000, takeFromDeadHolder: true }))?.token).toBe(2);
  });

  it('renews for its holder and throws LeaseLostError once someone else holds a newer token', async () => {
    const leases = manager();
    const a = (await leases.acquire({ holder: 'a', ttlMs: 20 }))!;
    const renewed = await leases.renew(a, 60_000);
    expect(renewed.expiresAt).toBeGreaterThan(a.expiresAt);
    expect(renewed.token).toBe(a.token);

    await leases.renew(renewed, 1);
    await new Promise((r) => setTimeout(r, 5));
    const b = (await leases.acquire({ holder: 'b', ttlMs: 60_000 }))!;
    expect(b.token).toBe(2);
    const lost = leases.renew(renewed, 60_000);
    await expect(lost).rejects.toSatisfy(LeaseLostError.isInstance);
    await expect(lost).rejects.toMatchObject({ code: 'LEASE_LOST', token: 1, currentToken: 2 });
    // Release by a former holder changes nothing.
    await leases.release(renewed);
    expect(await leases.read()).toEqual(b);
  });

  it('sees a newer holder that has not published lease.json yet (its token file is the truth)', async () => {
    const leases = manager();
    const a = (await leases.acquire({ holder: 'a', ttlMs: 1 }))!;
    await new Promise((r) => setTimeout(r, 5));
    const b = (await leases.acquire({ holder: 'b', ttlMs: 60_000 }))!;
    // Roll lease.json back, as a stale holder's late write or a crash before publishing would leave it.
    await writeFile(path.join(dir, 'lease.json'), JSON.stringify(a));
    expect((await leases.read())?.token).toBe(b.token);
    expect(leases.currentTokenSync()).toBe(2);
    expect(await leases.acquire({ holder: 'c', ttlMs: 60_000 })).toBeNull();
  });

  it('keeps working when lease.json is lost or damaged', async () => {
    const leases = manager();
    await leases.acquire({ holder: 'a', ttlMs: 1 });
    await writeFile(path.join(dir, 'lease.json'), '{ damaged');
    expect(leases.currentTokenSync()).toBe(1);
    await new Promise((r) => setTimeout(r, 5));
    expect((await leases.acquire({ holder: 'b', ttlMs: 60_000 }))?.token).toBe(2);
  });
});
