import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuthConfigError } from './errors/auth-config-error.js';
import { configDir, loadAccountConfig } from './config.js';

describe('account config', () => {
  it('finds the config dir from GODMODE_CONFIG_DIR, then XDG_CONFIG_HOME', () => {
    expect(configDir({ GODMODE_CONFIG_DIR: '/a', XDG_CONFIG_HOME: '/x' })).toBe('/a');
    expect(configDir({ XDG_CONFIG_HOME: '/x' })).toBe('/x/godmode');
  });

  it('names exactly what is missing', () => {
    const error = (() => {
      try {
        loadAccountConfig({ GODMODE_CONFIG_DIR: '/nonexistent-godmode', GODMODE_SUPABASE_URL: 'https://p.supabase.co' });
      } catch (e) {
        return e;
      }
    })();
    expect(AuthConfigError.isInstance(error)).toBe(true);
    expect((error as AuthConfigError).message).toBe('godmode does not know which account service to use: GODMODE_SUPABASE_KEY is not set.');
    expect((error as AuthConfigError).hint).toContain('/nonexistent-godmode/config.json');
  });

  it('reads config.json, env wins, and a bad URL or bad JSON is a clear error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'godmode-config-'));
    try {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'config.json'), JSON.stringify({ supabaseUrl: 'https://file.supabase.co/', supabaseKey: 'sb_publishable_file' }));
      expect(loadAccountConfig({ GODMODE_CONFIG_DIR: dir })).toEqual({ supabaseUrl: 'https://file.supabase.co', supabaseKey: 'sb_publishable_file', configDir: dir });
      expect(loadAccountConfig({ GODMODE_CONFIG_DIR: dir, GODMODE_SUPABASE_KEY: 'env' }).supabaseKey).toBe('env');
      expect(() => loadAccountConfig({ GODMODE_CONFIG_DIR: dir, GODMODE_SUPABASE_URL: 'ftp://x' })).toThrow(/not an http\(s\) URL/);
      await writeFile(join(dir, 'config.json'), '{nope');
      expect(() => loadAccountConfig({ GODMODE_CONFIG_DIR: dir })).toThrow(/config.json is not valid JSON/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
