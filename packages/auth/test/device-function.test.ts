import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeviceAssets, generatedFile } from '../../../supabase/functions/device/page/build.ts';
import { stateFor } from '../../../supabase/functions/device/handler.ts';
import { parseClientName } from '../../../supabase/functions/device/client-name.ts';
import { deviceLabel, describePlatform, discoverService, loadAccountConfig, saveServiceConfig } from '../src/index.js';
import { startSupabaseStandIn, type SupabaseStandIn } from '../src/stand-in/server.js';

// functions/device over HTTP (the stand-in runs the real handler), and the rules it is built from.
let standIn: SupabaseStandIn;
beforeAll(async () => {
  standIn = await startSupabaseStandIn({ maxFailedAttempts: 3 });
});
afterAll(async () => standIn?.close());

async function startCode(clientName = deviceLabel('godmode CLI on devbox', 'Linux 6.8 (x64)')): Promise<string> {
  const r = await fetch(`${standIn.functionsUrl}/cli-auth`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'start', client_name: clientName }) });
  return ((await r.json()) as { user_code: string }).user_code;
}

function lookup(userCode: string, accessToken: string | null): Promise<Response> {
  return fetch(`${standIn.url}/functions/v1/device/lookup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}) },
    body: JSON.stringify({ user_code: userCode }),
  });
}

describe('the device page build', () => {
  it('the committed assets.generated.ts is what the sources build to (run build:device-page when this fails)', async () => {
    expect(await buildDeviceAssets()).toBe(readFileSync(generatedFile, 'utf8'));
  });
});

describe('rules', () => {
  const now = new Date('2026-01-01T12:00:00Z');
  const later = '2026-01-01T12:10:00Z';
  const earlier = '2026-01-01T11:59:59Z';
  it.each([
    ['pending, open', { state: 'pending', user_id: null, expires_at: later }, 'pending'],
    ['pending, past expiry', { state: 'pending', user_id: null, expires_at: earlier }, 'expired'],
    ['pending, expiring this instant', { state: 'pending', user_id: null, expires_at: now.toISOString() }, 'expired'],
    ['approved by me', { state: 'approved', user_id: 'me', expires_at: later }, 'approved'],
    ['approved by me and consumed', { state: 'consumed', user_id: 'me', expires_at: earlier }, 'approved'],
    ['denied by me', { state: 'denied', user_id: 'me', expires_at: later }, 'denied'],
    ['approved by someone else', { state: 'approved', user_id: 'other', expires_at: later }, 'used'],
    ['denied by someone else', { state: 'denied', user_id: 'other', expires_at: later }, 'used'],
  ] as const)('state: %s → %s', (_name, row, expected) => {
    expect(stateFor(row, 'me', now)).toBe(expected);
  });

  it.each([
    ['plain', 'godmode CLI on devbox', 'Linux 6.8 (x64)', { name: 'godmode CLI on devbox', platform: 'Linux 6.8 (x64)' }],
    ['a separator inside the host name cannot move the split', 'evil · Windows', 'Linux (x64)', { name: 'evil - Windows', platform: 'Linux (x64)' }],
    ['control and bidi characters go', 'box\u001b[31m\u202eevil', 'Linux\n(x64)', { name: 'box[31mevil', platform: 'Linux (x64)' }],
    ['empty parts get a default', '   ', '', { name: 'godmode CLI', platform: 'unknown platform' }],
    ['long names are cut to fit the column', 'x'.repeat(500), 'y'.repeat(500), { name: 'x'.repeat(120), platform: 'y'.repeat(70) }],
  ])('client_name round trip: %s', (_name, name, platform, expected) => {
    const label = deviceLabel(name, platform);
    expect(label.length).toBeLessThanOrEqual(200);
    expect(parseClientName(label)).toEqual(expected);
  });

  it('reads a client_name from an older CLI or another client', () => {
    expect(parseClientName('godmode CLI')).toEqual({ name: 'godmode CLI', platform: null });
    expect(parseClientName(null)).toEqual({ name: 'an unnamed device', platform: null });
  });

  it.each([
    ['Darwin', '23.5.0', 'arm64', 'macOS (Darwin 23.5.0, arm64)'],
    ['Windows_NT', '10.0.22631', 'x64', 'Windows 10.0.22631 (x64)'],
    ['Linux', '6.8.0-45-generic', 'x64', 'Linux 6.8.0-45-generic (x64)'],
  ])('platform: %s %s %s → %s', (kind, version, cpu, expected) => {
    expect(describePlatform(kind, version, cpu)).toBe(expected);
  });
});

describe('POST …/device/lookup', () => {
  it('needs a signed-in user', async () => {
    const code = await startCode();
    expect((await lookup(code, null)).status).toBe(401);
    expect((await lookup(code, standIn.anonKey)).status).toBe(401);
  });

  it('tells the owner of a session what device asked, when; someone else\'s decided code only that it is used', async () => {
    const me = await standIn.createUser();
    const other = await standIn.createUser();
    const code = await startCode();
    const r = await lookup(code.toLowerCase().replace('-', ' '), me.accessToken);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    const body = (await r.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ user_code: code, state: 'pending', device: { name: 'godmode CLI on devbox', platform: 'Linux 6.8 (x64)' } });
    expect(new Date(String(body['expires_at'])).getTime() - new Date(String(body['requested_at'])).getTime()).toBe(900_000);
    expect((await standIn.approve(code, other.id)).status).toBe(200);
    expect(await (await lookup(code, me.accessToken)).json()).toMatchObject({ state: 'used', device: null });
    expect(await (await lookup(code, other.accessToken)).json()).toMatchObject({ state: 'approved', device: { name: 'godmode CLI on devbox' } });
  });

  it('wrong codes spend the device flow\'s budget (shared with approve/deny); a parallel burst gets no more than it', async () => {
    const user = await standIn.createUser();
    const good = await startCode();
    const answers = await Promise.all(Array.from({ length: 12 }, () => lookup('BBBB-BBBB', user.accessToken)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 404)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(9);
    expect(answers.find((a) => a.status === 429)!.headers.get('retry-after')).toBe('900');
    // Spent: even the right code waits, and so does approve through cli-auth.
    expect((await lookup(good, user.accessToken)).status).toBe(429);
    expect((await standIn.approve(good, user.id)).status).toBe(429);
    const counted = await standIn.sql<{ n: number }>('select count(*)::int as n from public.device_code_attempts where user_id = $1', [user.id]);
    expect(counted[0]!.n).toBe(3);
  });

  it('a found code costs nothing', async () => {
    const user = await standIn.createUser();
    for (let i = 0; i < 5; i++) expect((await lookup(await startCode(), user.accessToken)).status).toBe(200);
    expect(await standIn.sql('select 1 from public.device_code_attempts where user_id = $1', [user.id])).toHaveLength(0);
  });
});

describe('godmode login --service', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'godmode-service-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it.each([
    ['the project URL', ''],
    ['the device page URL', '/functions/v1/device?code=BCDF-GHJK'],
    ['with a trailing slash', '/'],
  ])('discovers the project URL and publishable key from %s', async (_name, suffix) => {
    expect(await discoverService(`${standIn.url}${suffix}`)).toEqual({ supabaseUrl: standIn.url, supabaseKey: standIn.anonKey });
  });

  it('writes them into config.json (keeping other keys), where the account config then finds them', async () => {
    const env = { GODMODE_CONFIG_DIR: join(dir, 'config') };
    await saveServiceConfig({ supabaseUrl: 'http://old.example', supabaseKey: 'old' }, env);
    const file = join(dir, 'config', 'config.json');
    const withExtra = { ...JSON.parse(await readFile(file, 'utf8')), telemetry: false };
    await import('node:fs/promises').then((fs) => fs.writeFile(file, JSON.stringify(withExtra)));
    expect(await saveServiceConfig(await discoverService(standIn.url), env)).toBe(file);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ supabaseUrl: standIn.url, supabaseKey: standIn.anonKey, telemetry: false });
    expect(loadAccountConfig(env)).toMatchObject({ supabaseUrl: standIn.url, supabaseKey: standIn.anonKey });
  });

  it('says clearly when the URL is not a deployment', async () => {
    await expect(discoverService('ftp://example.test')).rejects.toThrow(/not an http\(s\) URL/);
    await expect(discoverService(`${standIn.url}/nothing-here/functions/v1/x`)).rejects.toThrow(/did not describe a godmode deployment \(HTTP 404\)/);
  });
});
