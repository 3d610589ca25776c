import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dir, Harness, Recorder } from './support/harness.js';

const h = new Harness();
afterAll(async () => {
  expect(await h.cleanup(), 'processes started by the suite still running').toEqual([]);
});

function allText(root: string): string {
  let text = '';
  for (const e of readdirSync(root, { withFileTypes: true, recursive: true })) if (e.isFile()) text += readFileSync(join(e.parentPath, e.name), 'latin1');
  return text;
}

describe('worker environment', () => {
  it('a worker printing its whole environment leaks none of godmode’s credentials into any log', async () => {
    const secrets = { GODMODE_TOKEN: 'gmt_canary_token_5f1e', GODMODE_SUPABASE_KEY: 'canary-supabase-key-77', GODMODE_SUPABASE_URL: 'https://admin:canary-url-pass-91@db.example.com', SUPABASE_SERVICE_ROLE_KEY: 'canary-service-role-33' };
    const saved = Object.fromEntries(Object.keys(secrets).map((k) => [k, process.env[k]]));
    Object.assign(process.env, secrets, { GODMODE_TEST_KEPT: 'kept-value' });
    try {
      const s = h.make();
      const r = new Recorder(s);
      const d = dir();
      const identity = await s.spawn({ stream: 'env', attempt: 1, spec: { adapter: 'command', options: { command: 'env; env >&2; env > printed.txt' } }, workdir: join(d, 'work'), attemptDir: join(d, 'attempt'), env: { GODMODE_TEST_OWNER: String(process.pid) } });
      await r.wait(identity, 'exited');
      const text = allText(d) + JSON.stringify(r.events);
      expect(text).toContain('GODMODE_TEST_KEPT=kept-value');
      for (const value of Object.values(secrets)) expect(text).not.toContain(value);
      expect(text).not.toContain('canary-url-pass');
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
      else process.env[k] = v;
      delete process.env.GODMODE_TEST_KEPT;
    }
  });

  it('passes only the allow-list (and what any program needs) when the plan says so', async () => {
    process.env.GODMODE_TEST_ALLOWED = 'yes';
    process.env.GODMODE_TEST_OTHER = 'no';
    try {
      const s = h.make();
      const r = new Recorder(s);
      const d = dir();
      const identity = await s.spawn({ stream: 'allow', attempt: 1, spec: { adapter: 'command', options: { command: 'env > printed.txt' } }, workdir: join(d, 'work'), attemptDir: join(d, 'attempt'), env: { GODMODE_TEST_OWNER: String(process.pid) }, envPolicy: { allow: ['GODMODE_TEST_ALLOWED'] } });
      await r.wait(identity, 'exited');
      const printed = readFileSync(join(d, 'work', 'printed.txt'), 'utf8').split('\n');
      expect(printed).toContain('GODMODE_TEST_ALLOWED=yes');
      expect(printed).toContain(`GODMODE_TEST_OWNER=${process.pid}`);
      expect(printed.some((l) => l.startsWith('PATH='))).toBe(true);
      expect(printed.some((l) => l.startsWith('GODMODE_TEST_OTHER='))).toBe(false);
    } finally {
      delete process.env.GODMODE_TEST_ALLOWED;
      delete process.env.GODMODE_TEST_OTHER;
    }
  });
});
