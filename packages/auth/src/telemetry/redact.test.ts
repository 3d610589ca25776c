import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED } from './redact.js';

const redact = createRedactor();
const text = (s: string) => redact(s) as string;

describe('createRedactor', () => {
  it('drops values under credential-sounding keys, whatever they hold', () => {
    expect(redact({ password: 'hunter2', apiKey: 'x', Authorization: 'y', sessionId: 1, nested: { db_secret: 'z', fine: 'ok' } })).toEqual({
      password: REDACTED,
      apiKey: REDACTED,
      Authorization: REDACTED,
      sessionId: REDACTED,
      nested: { db_secret: REDACTED, fine: 'ok' },
    });
  });

  it.each([
    ['godmode token', 'tok gmmcp_AbCdEf0123456789abcdef0123456789abcdef01234 end'],
    ['anthropic key', 'key sk-ant-api03-abcdefghijklmnopqrstuvwxyz'],
    ['github token', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'],
    ['aws key id', 'id AKIAABCDEFGHIJKLMNOP here'],
    ['jwt', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl'],
    ['bearer header', 'Authorization: Bearer abc.def'],
    ['url credentials', 'postgres://admin:s3cr3t@db.internal/app'],
    ['assignment', 'export DB_PASSWORD=s3cr3t-value'],
    ['long base64', 'blob Z21jYW5hcnlfQUJDREVGR0g6aWprbG1ub3BxcnN0dXZ3eHl6 end'],
    ['long hex', 'hex 676d63616e6172795f41424344454647483a696a6b6c end'],
  ])('removes a %s from free text', (_, input) => {
    const out = text(input);
    expect(out).toContain(REDACTED);
    for (const secret of ['gmmcp_AbCdEf', 'sk-ant-api03', 'ghp_abc', 'AKIAABCD', 'eyJhbGci', 'abc.def', 's3cr3t', 'Z21jYW5h', '676d6361']) expect(out).not.toContain(secret);
  });

  it('removes known secrets in raw, base64, base64url, hex and URL-encoded form', () => {
    const secret = 'plain:Secret/Value+42';
    const r = createRedactor({ secrets: [secret] });
    const forms = [secret, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url'), Buffer.from(secret).toString('hex'), Buffer.from(secret).toString('hex').toUpperCase(), encodeURIComponent(secret)];
    const out = JSON.stringify(r({ list: forms.map((f) => `x ${f} y`) }));
    for (const f of forms) expect(out).not.toContain(f);
  });

  it('leaves ordinary telemetry alone', () => {
    const event = { command: 'orchestra:run', durationMs: 1234, exitCode: 0, flags: ['json', 'detach'], node: 'v20.20.2', os: 'linux' };
    expect(redact(event)).toEqual(event);
  });

  it('survives cycles-free deep input and odd types without throwing', () => {
    let deep: Record<string, unknown> = { v: 1 };
    for (let i = 0; i < 20; i++) deep = { deep };
    expect(() => redact({ deep, big: 10n, fn: () => 1, when: new Date(0), err: new Error('token=abc') })).not.toThrow();
    expect(JSON.stringify(redact({ err: new Error('failed with token=abcdef') }))).not.toContain('abcdef');
  });
});
