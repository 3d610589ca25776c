import { describe, expect, it } from 'vitest';
import { AccessDeniedError, AuthConfigError, AuthServiceError, DeviceCodeExpiredError, NotLoggedInError, SkillError, TokenRejectedError } from './index.js';
import { loadAccountConfig } from './config.js';
import { HIDDEN, redactCredentials, rememberCredential } from './redact-credentials.js';

// Issue 18: no message carries a credential from a URL or key it was given. One table of cases, run through
// the redactor, every error class of the package, and the config loader.
const cases: Array<{ name: string; text: string; secrets: string[]; keeps: string[] }> = [
  { name: 'user and password in a URL', text: 'at https://admin:hunter2secret@db.example.co/rest', secrets: ['admin', 'hunter2secret'], keeps: ['https://', 'db.example.co/rest'] },
  { name: 'user only in a URL', text: 'https://svc_account_1@db.example.co', secrets: ['svc_account_1'], keeps: ['db.example.co'] },
  { name: 'percent-encoded userinfo', text: 'https://us%40er:p%40ss-word-9@db.example.co', secrets: ['p%40ss-word-9', 'us%40er'], keeps: ['db.example.co'] },
  { name: 'a postgres connection string', text: 'postgresql://postgres:Sup3rS3cret!@127.0.0.1:5432/postgres', secrets: ['Sup3rS3cret!'], keeps: ['127.0.0.1:5432'] },
  { name: 'userinfo typed without a scheme', text: 'The URL "user:p4ssw0rd-x@host.example" is bad', secrets: ['p4ssw0rd-x'], keeps: ['host.example'] },
  { name: 'keys and tokens in a query string', text: 'GET http://127.0.0.1:1/x?apikey=sekrit-query-key&token=abc123secret&empty=', secrets: ['sekrit-query-key', 'abc123secret'], keeps: ['127.0.0.1:1/x', 'apikey=', 'token='] },
  { name: 'a token in a fragment', text: 'https://h.example/cb#access_token=frag-secret-value&type=bearer', secrets: ['frag-secret-value'], keeps: ['h.example/cb'] },
  { name: 'a CLI token anywhere', text: 'token gmmcp_AbCdEf0123456789xyzXYZ_- rejected', secrets: ['AbCdEf0123456789xyzXYZ'], keeps: ['rejected'] },
  { name: 'a Supabase secret key', text: 'key sb_secret_s3cr3tkeyvalue123456 refused', secrets: ['s3cr3tkeyvalue123456'], keeps: ['refused'] },
  { name: 'a publishable key', text: 'apikey sb_publishable_pUbL1sh4bleKey99', secrets: ['pUbL1sh4bleKey99'], keeps: ['apikey'] },
  { name: 'a legacy anon key (JWT)', text: 'with eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.c2lnbmF0dXJlc2ln', secrets: ['eyJyb2xlIjoiYW5vbiJ9', 'c2lnbmF0dXJlc2ln'], keeps: ['with'] },
  { name: 'a personal access token', text: 'SUPABASE_ACCESS_TOKEN=sbp_0123456789abcdef0123456789abcdef', secrets: ['0123456789abcdef0123456789abcdef'], keeps: [] },
  { name: 'an Authorization header', text: 'sent Authorization: Bearer opaque.value-123456789', secrets: ['opaque.value-123456789'], keeps: ['Authorization: Bearer'] },
  { name: 'nothing secret', text: 'HTTP 503 from https://abc.supabase.co/functions/v1/cli-auth', secrets: [], keeps: ['HTTP 503 from https://abc.supabase.co/functions/v1/cli-auth'] },
];

describe('redactCredentials', () => {
  it.each(cases)('$name', ({ text, secrets, keeps }) => {
    const out = redactCredentials(text);
    for (const s of secrets) expect(out).not.toContain(s);
    for (const k of keeps) expect(out).toContain(k);
    if (secrets.length > 0) expect(out).toContain(HIDDEN);
  });

  it('hides a remembered value of any shape, raw and URL-encoded, and ignores short ones', () => {
    rememberCredential('odd key/with spaces+symbols');
    expect(redactCredentials('got odd key/with spaces+symbols and odd%20key%2Fwith%20spaces%2Bsymbols')).toBe(`got ${HIDDEN} and ${HIDDEN}`);
    rememberCredential('abc');
    expect(redactCredentials('abc')).toBe('abc');
  });

  it.each(cases.filter((c) => c.secrets.length > 0))('every error class of @godmode/auth hides: $name', ({ text, secrets }) => {
    const errors = [
      new AuthConfigError({ message: text, hint: text }),
      new AuthServiceError({ message: text, hint: text }),
      new TokenRejectedError({ message: text, hint: text }),
      new NotLoggedInError({ message: text, hint: text }),
      new DeviceCodeExpiredError({ message: text, hint: text }),
      new AccessDeniedError({ message: text, hint: text }),
      new SkillError({ message: text, hint: text }),
    ];
    for (const e of errors) for (const s of secrets) expect(`${e.message}\n${e.hint}`, e.name).not.toContain(s);
  });

  it.each(['user:p4ssw0rd-x@host.example', 'ftp://u:pw12345xyz@host/x', 'https://admin:hunter2secret@[::1'])('loadAccountConfig does not echo %s', (url) => {
    let message = '';
    try {
      loadAccountConfig({ GODMODE_SUPABASE_URL: url, GODMODE_SUPABASE_KEY: 'sb_publishable_x', GODMODE_CONFIG_DIR: '/nonexistent' });
    } catch (e) {
      message = `${(e as Error).message}\n${(e as AuthConfigError).hint}`;
    }
    expect(message).toMatch(/not an http\(s\) URL/);
    for (const s of ['p4ssw0rd-x', 'pw12345xyz', 'hunter2secret']) expect(message).not.toContain(s);
  });
});
