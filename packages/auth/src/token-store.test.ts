import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TokenStore } from './token-store.js';

const dirs: string[] = [];
async function fresh(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'godmode-tokens-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('TokenStore', () => {
  it('falls back to a 0600 file in a 0700 folder, with a warning, when the keyring refuses', async () => {
    const dir = await fresh();
    const warnings: string[] = [];
    // A real keyring call under a test-only service name; on this headless box it is refused.
    const store = new TokenStore({ configDir: dir, env: {}, keyringService: `godmode-test-${process.pid}`, onWarning: (m) => warnings.push(m) });
    const where = await store.write('gmmcp_secret');
    if (where === 'keyring') {
      // A desktop with a keyring: the token must be readable from there and no file written.
      expect(await store.read()).toEqual({ token: 'gmmcp_secret', source: 'keyring' });
      await expect(stat(store.file)).rejects.toMatchObject({ code: 'ENOENT' });
    } else {
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/no OS keyring available.*mode 0600/);
      expect(warnings[0]).not.toMatch(/backtrace/i);
      expect((await stat(store.file)).mode & 0o777).toBe(0o600);
      expect((await stat(dirname(store.file))).mode & 0o777).toBe(0o700);
      expect(await store.read()).toEqual({ token: 'gmmcp_secret', source: 'file' });
    }
    await store.delete();
    expect(await store.read()).toBeNull();
  });

  it('GODMODE_TOKEN overrides what is stored', async () => {
    const dir = await fresh();
    const store = new TokenStore({ configDir: dir, env: { GODMODE_TOKEN: 'gmmcp_fromenv\n', GODMODE_KEYRING: '0' } });
    await store.write('gmmcp_stored');
    expect(await store.read()).toEqual({ token: 'gmmcp_fromenv', source: 'env' });
    expect((await readFile(store.file, 'utf8')).trim()).toBe('gmmcp_stored');
  });

  it('tightens a folder that already existed with loose permissions', async () => {
    const dir = await fresh();
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dir, 'credentials'), { mode: 0o755 });
    const store = new TokenStore({ configDir: dir, env: { GODMODE_KEYRING: '0' } });
    await store.write('gmmcp_x');
    expect((await stat(join(dir, 'credentials'))).mode & 0o777).toBe(0o700);
  });
});
