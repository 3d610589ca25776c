import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startModelStandIn, usageLimitTurn, userText, type ModelStandIn, type Turn } from '../../../model-stand-in/src/index.js';
import { godmode, ndjson, testContext, type TestContext } from './support/cli.js';

// `godmode ask` driving the real Claude Code CLI (@anthropic-ai/claude-code 2.1.100) through the model stand-in.
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(script: Turn[], auth: 'api-key' | 'subscription' = 'api-key'): Promise<{ standIn: ModelStandIn; context: TestContext }> {
  const standIn = await startModelStandIn({ script });
  const context = testContext(standIn.url, {}, auth);
  cleanups.push(() => standIn.close(), () => context.dispose());
  return { standIn, context };
}

describe('godmode ask', { timeout: 120_000 }, () => {
  it('prints the scripted answer, streamed as it arrives, and exits 0', async () => {
    const { standIn, context } = await setup([{ text: 'The scripted answer, in four pieces.', chunks: 4, chunkDelayMs: 150 }]);
    const child = godmode(['ask', 'What', 'is', 'the', 'answer?'], context);
    const pieces: string[] = [];
    child.stdout!.on('data', (chunk: Buffer) => pieces.push(chunk.toString()));
    const run = await child;
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('The scripted answer, in four pieces.');
    // Streamed: the answer reached stdout in more than one write, not as one block at the end.
    expect(pieces.filter((piece) => piece.trim() !== '').length).toBeGreaterThan(1);
    expect(userText(standIn.messageRequests[0]!.body)).toContain('What is the answer?');
    // Without a godmode login it still works, and says so once, on stderr.
    expect(run.stderr.match(/without your account actions/g)).toHaveLength(1);
  });

  it('--json passes Claude Code’s events through as NDJSON, ending in the result', async () => {
    const { context } = await setup([{ bash: 'echo from-bash > proof.txt' }, { text: 'Done.' }]);
    const run = await godmode(['ask', 'write proof.txt', '--json', '--allowed-tools', 'Bash'], context);
    expect(run.exitCode).toBe(0);
    const events = ndjson(String(run.stdout));
    expect(events[0]).toMatchObject({ type: 'system', subtype: 'init' });
    expect(events.at(-1)).toMatchObject({ type: 'result', is_error: false, result: 'Done.' });
    expect(events.some((e) => e.type === 'stream_event')).toBe(false);
    expect(existsSync(join(context.cwd, 'proof.txt'))).toBe(true);
    expect(run.stderr).not.toMatch(/account actions/);
  });

  it('passes the common flags through to Claude Code', async () => {
    const { standIn, context } = await setup([{ text: 'ok' }]);
    const run = await godmode(['ask', 'hi', '--model', 'opus', '--max-turns', '2', '--max-budget-usd', '5', '--permission-mode', 'plan', '--allowed-tools', 'Read,Grep'], context);
    expect(run.exitCode).toBe(0);
    expect(standIn.messageRequests[0]!.body.model).toMatch(/opus/);
    const bad = await godmode(['ask', 'hi', '--max-budget-usd', 'lots'], context);
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toMatch(/positive number/);
  });

  it('exits non-zero with Claude Code’s message when it reports an error', async () => {
    const { context } = await setup([{ error: { status: 400, type: 'invalid_request_error', message: 'prompt is malformed in a scripted way' }, repeat: Infinity }]);
    const run = await godmode(['ask', 'hi'], context);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/Claude Code: .*prompt is malformed in a scripted way/);
  });

  it('reports a reached usage limit of a Claude subscription, with when it resets', async () => {
    const resetsAt = new Date(Date.now() + 3 * 3600_000);
    const { context } = await setup([usageLimitTurn(resetsAt)], 'subscription');
    const run = await godmode(['ask', 'hi', '--json'], context);
    expect(run.exitCode).toBe(3);
    const error = ndjson(String(run.stdout)).at(-1)!;
    expect(error).toMatchObject({ type: 'error', code: 'CLAUDE_USAGE_LIMIT', audience: 'external' });
    expect(error.message).toMatch(/usage limit is reached \(You've hit your (?:session|5-hour) limit · resets .*\)\. It resets at /);
    expect(error.message).toContain(resetsAt.toLocaleString());
  });

  it('stops at once when the API rejects the login, instead of Claude Code retrying for minutes', async () => {
    const { standIn, context } = await setup([{ error: { status: 401, type: 'authentication_error', message: 'invalid x-api-key' }, repeat: Infinity }]);
    const started = Date.now();
    const run = await godmode(['ask', 'hi'], context);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/login was rejected/);
    expect(run.stderr).toMatch(/Run `claude`, type `\/login`/);
    // Claude Code alone would retry 10 times with backoff (minutes); godmode stops after the first retry.
    expect(standIn.messageRequests.length).toBeLessThanOrEqual(3);
    expect(Date.now() - started).toBeLessThan(45_000);
  });

  it('says how to install Claude Code when it is missing', async () => {
    const { context } = await setup([]);
    const missing = await godmode(['ask', 'hi'], { ...context, env: { ...context.env, GODMODE_CLAUDE_BIN: join(context.cwd, 'no-claude-here') } });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/GODMODE_CLAUDE_BIN points at .*no-claude-here/);
    const env = { ...context.env, PATH: context.cwd };
    delete (env as Record<string, string>).GODMODE_CLAUDE_BIN;
    const none = await godmode(['ask', 'hi'], { ...context, env: { ...env, PATH: `${context.cwd}:${process.execPath.replace(/\/node$/, '')}` } });
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toMatch(/Claude Code is not installed/);
    expect(none.stderr).toMatch(/npm install -g @anthropic-ai\/claude-code/);
  });

  it('names the flag and version when Claude Code is too old for it', async () => {
    const { context } = await setup([]);
    // An old Claude Code as commander answers an option it does not know (and its --version).
    const old = join(context.cwd, 'old-claude');
    writeFileSync(old, `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "1.0.3 (Claude Code)"; exit 0; fi\necho "error: unknown option '--max-budget-usd'" >&2\nexit 1\n`, { mode: 0o755 });
    const run = await godmode(['ask', 'hi', '--max-budget-usd', '1'], { ...context, env: { ...context.env, GODMODE_CLAUDE_BIN: old } });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/Claude Code \(1\.0\.3\) does not support --max-budget-usd; it needs 2\.1\.100 or newer/);
    expect(run.stderr).toMatch(/claude update/);
  });
});
