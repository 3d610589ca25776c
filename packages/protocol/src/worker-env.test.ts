import { describe, expect, it } from 'vitest';
import { inheritedWorkerEnv, isGodmodeCredential, workerEnvPolicySchema } from './worker-env.js';

describe('the environment a worker gets', () => {
  it('never carries godmode credentials (a table of names and values)', () => {
    const table: Array<[string, string, boolean]> = [
      ['GODMODE_TOKEN', 'gmt_abc', true],
      ['godmode_token', 'gmt_abc', true],
      ['GODMODE_SUPABASE_KEY', 'eyJ…', true],
      ['GODMODE_SUPABASE_ANON_KEY', 'eyJ…', true],
      ['GODMODE_SUPABASE_SERVICE_ROLE_KEY', 'eyJ…', true],
      ['SUPABASE_SERVICE_ROLE_KEY', 'eyJ…', true],
      ['GODMODE_API_SECRET', 's', true],
      ['GODMODE_DB_PASSWORD', 'p', true],
      ['GODMODE_SUPABASE_URL', 'https://user:pass@db.example.com', true],
      ['GODMODE_SUPABASE_URL', 'postgres://postgres:secret@127.0.0.1:5432/postgres', true],
      ['GODMODE_SUPABASE_URL', 'https://project.supabase.co', false],
      ['GODMODE_RUN_DIR', '/tmp/run', false],
      ['GODMODE_STREAM', 'api', false],
      ['GODMODE_WORKER_MARK', 'api:1:2:3', false],
      ['GODMODE_TOKENIZER_MODE', 'fast', false],
      ['DATABASE_URL', 'postgres://u:p@localhost/db', false],
      ['ANTHROPIC_API_KEY', 'sk-ant', false],
      ['PATH', '/usr/bin', false],
    ];
    for (const [name, value, secret] of table) expect(isGodmodeCredential(name, value), `${name}=${value}`).toBe(secret);
  });

  it('inherits everything else by default, or only an allow-list (plus what any program needs)', () => {
    const env = { PATH: '/bin', HOME: '/h', LC_ALL: 'C', GODMODE_TOKEN: 't', NPM_TOKEN: 'n', MY_VAR: 'x', OTHER: 'y' };
    expect(inheritedWorkerEnv(env)).toEqual({ PATH: '/bin', HOME: '/h', LC_ALL: 'C', NPM_TOKEN: 'n', MY_VAR: 'x', OTHER: 'y' });
    expect(inheritedWorkerEnv(env, { allow: ['MY_*', 'GODMODE_TOKEN'] })).toEqual({ PATH: '/bin', HOME: '/h', LC_ALL: 'C', MY_VAR: 'x' });
    expect(workerEnvPolicySchema.parse('inherit')).toBe('inherit');
    expect(workerEnvPolicySchema.safeParse({ allow: ['NOT A NAME'] }).success).toBe(false);
    expect(workerEnvPolicySchema.safeParse('everything').success).toBe(false);
  });
});
