import { describe, expect, it } from 'vitest';
import { cookieToken, guardRequest, type RequestFacts } from './request-guard.js';

const base: RequestFacts = {
  remoteAddress: '127.0.0.1',
  host: '127.0.0.1:4777',
  origin: undefined,
  queryToken: null,
  cookieToken: 'secret-token',
  ownHost: '127.0.0.1:4777',
  token: 'secret-token',
};

describe('guardRequest: loopback peer, own Host, own or no Origin, the token', () => {
  const cases: Array<[string, Partial<RequestFacts>, number | 'ok']> = [
    ['cookie token from loopback', {}, 'ok'],
    ['token in the URL, no cookie', { cookieToken: null, queryToken: 'secret-token' }, 'ok'],
    ['IPv6 loopback peer', { remoteAddress: '::1' }, 'ok'],
    ['IPv4-mapped loopback peer', { remoteAddress: '::ffff:127.0.0.1' }, 'ok'],
    ['localhost as the Host', { host: 'localhost:4777' }, 'ok'],
    ['own Origin (the page itself)', { origin: 'http://127.0.0.1:4777' }, 'ok'],
    ['no token at all', { cookieToken: null }, 401],
    ['wrong token', { cookieToken: 'secret-tokem' }, 401],
    ['token of another length', { cookieToken: 'secret' }, 401],
    ['wrong token in the URL, no cookie', { cookieToken: null, queryToken: 'nope' }, 401],
    ['non-loopback peer', { remoteAddress: '192.168.1.20' }, 403],
    ['unknown peer', { remoteAddress: undefined }, 403],
    ['rebound DNS name as Host', { host: 'evil.example:4777' }, 421],
    ['own address on another port', { host: '127.0.0.1:80' }, 421],
    ['no Host', { host: undefined }, 421],
    ['foreign Origin', { origin: 'http://evil.example' }, 403],
    ['own host over https Origin', { origin: 'https://127.0.0.1:4777' }, 403],
    ['null Origin (sandboxed frame)', { origin: 'null' }, 403],
  ];
  it.each(cases)('%s', (_name, change, expected) => {
    const decision = guardRequest({ ...base, ...change });
    if (expected === 'ok') expect(decision.ok).toBe(true);
    else expect(decision).toMatchObject({ ok: false, status: expected });
  });

  it('reads its cookie among others', () => {
    expect(cookieToken('a=1; godmode_dashboard_4777=xyz; b=2', 'godmode_dashboard_4777')).toBe('xyz');
    expect(cookieToken('godmode_dashboard_1=xyz', 'godmode_dashboard_4777')).toBeNull();
    expect(cookieToken(undefined, 'x')).toBeNull();
  });
});
