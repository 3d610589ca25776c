import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Telemetry, login, whoami } from '../src/index.js';
import { startSupabaseStandIn, type SupabaseStandIn } from '../src/stand-in/server.js';
import { accountFor } from './helpers.js';

// Pen test of the telemetry path: canaries are planted where a command could pick them up (environment,
// arguments, files, config), the command's telemetry is built from exactly those places, and every
// payload that reaches the (stand-in) server is searched for each canary in every usual encoding.
let standIn: SupabaseStandIn;
beforeAll(async () => {
  standIn = await startSupabaseStandIn();
});
afterAll(async () => standIn?.close());

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Same shape as the conductor's canaries (`gmcanary_XXXXXXXX:…`), or a shapeless random string. */
function canary(shaped: boolean): string {
  const body = [...randomBytes(32)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
  return shaped ? `gmcanary_${body.slice(0, 8)}:${body.slice(8)}` : `${body.slice(0, 12)}:${body.slice(12)}`;
}

/** Written out here, not borrowed from the code under test. */
function forms(secret: string): string[] {
  const b = Buffer.from(secret, 'utf8');
  return [secret, b.toString('base64'), b.toString('base64').replace(/=+$/, ''), b.toString('base64url'), b.toString('hex'), b.toString('hex').toUpperCase(), encodeURIComponent(secret)];
}

function leaks(haystack: string, secrets: string[]): string[] {
  return secrets.flatMap((s) => forms(s).filter((f) => haystack.includes(f)).map((f) => `${s} as ${f}`));
}

describe.each([
  ['conductor-shaped canaries, no run dir', true, false],
  ['shapeless canaries known only from the run dir', false, true],
])('canary pen test: %s', (_, shaped, withRunDir) => {
  it('no canary and never the token reaches any telemetry payload or log', async () => {
    const canaries = Array.from({ length: 10 }, () => canary(shaped));
    const ctx = await accountFor(standIn);
    const runDir = join(ctx.dir, 'run');
    await mkdir(runDir, { recursive: true });
    if (withRunDir) await writeFile(join(runDir, 'canaries.json'), JSON.stringify({ values: canaries }));
    const env: Record<string, string> = {
      ...ctx.env,
      ...(withRunDir ? { GODMODE_RUN_DIR: runDir } : {}),
      PAYMENTS_API_SECRET: canaries[0]!,
      INTERNAL_DB_PASSWORD: canaries[1]!,
      SMTP_HOST_NOTE: `relay uses ${canaries[2]}`,
      BUILD_LABEL: canaries[3]!,
    };
    const argv = ['orchestra', 'run', 'plan.yaml', `--label=${canaries[4]}`, canaries[5]!, `https://example.test/cb?state=${encodeURIComponent(canaries[6]!)}`];
    const secretsFile = join(ctx.dir, 'project.env');
    await writeFile(secretsFile, `ANALYTICS_WRITE_KEY=${canaries[7]}\nNOTE=${canaries[8]}\n`);
    const config = { project: { name: 'demo', webhook: { signingValue: canaries[9] } } };

    const logs: string[] = [];
    const { openAccount } = await import('../src/index.js');
    const account = openAccount({ env, onWarning: (m) => logs.push(m) });
    const user = await standIn.createUser();
    await login(account, {
      onCode: async (c) => {
        logs.push(`Open ${c.verificationUriComplete} and enter ${c.userCode}`);
        await standIn.approve(c.userCode, user.id);
      },
      sleep: async (ms) => standIn.advance(ms),
    });
    const token = (await account.tokens.read())!.token;
    logs.push(JSON.stringify(await whoami(account)));

    const before = standIn.requests().length;
    const telemetry = new Telemetry(account, { env, batchSize: 3, timeoutMs: 5000 });
    const fileText = await readFile(secretsFile, 'utf8');
    // A careless command would send all of this; redaction is what stands between it and the server.
    telemetry.track('command', { argv, env, cwd: ctx.dir });
    telemetry.track('config', { config, raw: JSON.stringify(config) });
    telemetry.track('file', { path: secretsFile, content: fileText, base64: Buffer.from(fileText).toString('base64'), hex: Buffer.from(fileText).toString('hex') });
    telemetry.track('error', { message: `could not connect with ${canaries[1]}`, error: new Error(`bad arg ${canaries[5]}`), url: `https://x.test/?k=${encodeURIComponent(canaries[0]!)}` });
    for (const c of canaries) telemetry.track('encoded', { b64: Buffer.from(c).toString('base64'), b64url: Buffer.from(c).toString('base64url'), hex: Buffer.from(c).toString('hex'), url: encodeURIComponent(c) });
    telemetry.track('auth', { header: `Bearer ${token}`, note: `token is ${token}`, b64: Buffer.from(token).toString('base64') });
    telemetry.track('command_done', { command: 'orchestra:run', exitCode: 0, durationMs: 42 });
    await telemetry.flush();

    const sent = standIn.requests().slice(before).filter((r) => r.path.startsWith('/functions/v1/mcp-actions') && r.body.includes('"telemetry"'));
    expect(sent.length).toBeGreaterThanOrEqual(5); // batches of 3 across 16 events
    const stored = await standIn.sql<{ event: string; payload: unknown }>('select event, payload from public.telemetry_events where user_id = $1', [user.id]);
    expect(stored.map((r) => r.event)).toContain('command_done');
    expect(stored).toHaveLength(16);
    const payloads = sent.map((r) => r.body).join('\n') + JSON.stringify(stored);
    expect(leaks(payloads, canaries)).toEqual([]);
    expect(leaks(payloads, [token])).toEqual([]);
    expect(leaks(logs.join('\n'), [token, ...canaries])).toEqual([]);
    // The harmless parts still arrive: the redaction is not just dropping everything.
    expect(payloads).toContain('orchestra:run');
    expect(payloads).toContain('plan.yaml');
    await ctx.cleanup();
  });
});
