import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { saveServiceConfig } from '../src/service.js';
import { installSkill } from '../src/skills/local-skills.js';
import { TokenStore } from '../src/token-store.js';

// Files the account client writes are replaced whole (temp file, fsync, rename: write-file-atomic), with temp
// names that never collide — also when one process writes the same file several times at once.
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const mode = (file: string) => statSync(file).mode & 0o777;

describe('atomic writes of the account client', () => {
  it('token store: concurrent writes all succeed, the file holds one whole token, mode 0600 in a 0700 folder, no temp left', async () => {
    dir = mkdtempSync(join(tmpdir(), 'godmode-atomic-'));
    const store = new TokenStore({ configDir: dir, keyring: false, onWarning: () => {} });
    const tokens = Array.from({ length: 16 }, (_, i) => `gm_${String(i).padStart(2, '0')}_${'x'.repeat(200)}`);
    const results = await Promise.allSettled(tokens.map((t) => store.write(t)));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(tokens).toContain(readFileSync(store.file, 'utf8').trim());
    expect(mode(store.file)).toBe(0o600);
    expect(mode(join(dir, 'credentials'))).toBe(0o700);
    expect(readdirSync(join(dir, 'credentials'))).toEqual(['token']);
  });

  it('token store: an existing token file with a wider mode is replaced by a 0600 one', async () => {
    dir = mkdtempSync(join(tmpdir(), 'godmode-atomic-'));
    const store = new TokenStore({ configDir: dir, keyring: false, onWarning: () => {} });
    await store.write('gm_first');
    const { chmodSync } = await import('node:fs');
    chmodSync(store.file, 0o644);
    await store.write('gm_second');
    expect(readFileSync(store.file, 'utf8').trim()).toBe('gm_second');
    expect(mode(store.file)).toBe(0o600);
  });

  it('local skills: installing the same skill concurrently succeeds every time, SKILL.md whole, no temp left', async () => {
    dir = mkdtempSync(join(tmpdir(), 'godmode-atomic-'));
    const skill = { name: 'review', description: 'Reviews a change.', content: 'Read the diff.\n'.repeat(500) };
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => installSkill(skill, { dir })));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const files = readdirSync(join(dir, 'review')).sort();
    expect(files).toEqual(['.godmode-skill.json', 'SKILL.md']);
    expect(readFileSync(join(dir, 'review', 'SKILL.md'), 'utf8')).toContain('Read the diff.');
    expect(mode(join(dir, 'review', 'SKILL.md'))).toBe(0o644);
  });

  it('service config: concurrent saves succeed, the file is whole JSON, no temp left', async () => {
    dir = mkdtempSync(join(tmpdir(), 'godmode-atomic-'));
    const env = { XDG_CONFIG_HOME: dir, HOME: dir };
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => saveServiceConfig({ supabaseUrl: `https://p${i}.supabase.co`, supabaseKey: `sb_publishable_${i}` }, env)));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const file = (results[0] as PromiseFulfilledResult<string>).value;
    expect(JSON.parse(readFileSync(file, 'utf8')).supabaseUrl).toMatch(/^https:\/\/p\d+\.supabase\.co$/);
    expect(readdirSync(join(file, '..')).filter((f) => f.includes('tmp'))).toEqual([]);
  });
});
