import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claudeTestEnv, findClaudeBinary } from './claude-env.js';
import { startModelStandIn, type ModelStandIn } from './server.js';
import { usageLimitTurn } from './script.js';
import { userText } from './user-text.js';

// These tests run the real Claude Code CLI (@anthropic-ai/claude-code) against the stand-in.
const claude = findClaudeBinary();
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  events: any[];
}

function runClaude(args: string[], env: Record<string, string>, cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    // stdin closed: a headless Claude Code waits on an open stdin.
    const child = spawn(claude, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const kill = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    cleanups.push(kill);
    const timer = setTimeout(kill, 50_000);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const events = stdout
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line));
      resolve({ code, stdout, stderr, events });
    });
  });
}

async function standInWith(script: Parameters<typeof startModelStandIn>[0]['script']): Promise<ModelStandIn> {
  const standIn = await startModelStandIn({ script });
  cleanups.push(() => standIn.close());
  return standIn;
}

describe('the real Claude Code through the stand-in', () => {
  it('executes a scripted Bash call that writes a real file, then ends with a result', async () => {
    const standIn = await standInWith([{ bash: 'echo hi > a.txt' }, { text: 'wrote a.txt' }]);
    const cwd = tempDir('stand-in-cwd-');
    const env = claudeTestEnv({ home: tempDir('stand-in-home-'), standInUrl: standIn.url });
    const run = await runClaude(
      ['-p', 'write a.txt', '--output-format', 'stream-json', '--verbose', '--allowedTools', 'Bash'],
      env,
      cwd,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(readFileSync(join(cwd, 'a.txt'), 'utf8')).toBe('hi\n');

    const init = run.events[0];
    expect(init).toMatchObject({ type: 'system', subtype: 'init', apiKeySource: 'ANTHROPIC_API_KEY' });
    const result = run.events.at(-1);
    expect(result).toMatchObject({ type: 'result', subtype: 'success', is_error: false, num_turns: 2, result: 'wrote a.txt' });
    expect(result.session_id).toBe(init.session_id);
    expect(result.total_cost_usd).toBeGreaterThan(0);

    // Two agent-loop requests: the prompt, then the tool result.
    expect(standIn.messageRequests.map((r) => r.turn)).toEqual([0, 1]);
    expect(userText(standIn.messageRequests[0]!.body)).toContain('write a.txt');
    const toolResult = standIn.messageRequests[1]!.body.messages.at(-1).content[0];
    expect(toolResult).toMatchObject({ type: 'tool_result', is_error: false });
    expect(standIn.messageRequests[0]!.headers['x-api-key']).toBe('stand-in-test-key');
  });

  it('works in --bare mode too', async () => {
    const standIn = await standInWith([{ bash: 'printf bare > b.txt' }, { text: 'done' }]);
    const cwd = tempDir('stand-in-cwd-');
    const env = claudeTestEnv({ home: tempDir('stand-in-home-'), standInUrl: standIn.url });
    const run = await runClaude(['-p', 'go', '--bare', '--allowedTools', 'Bash', '--output-format', 'stream-json', '--verbose'], env, cwd);
    expect(run.code).toBe(0);
    expect(readFileSync(join(cwd, 'b.txt'), 'utf8')).toBe('bare');
    expect(run.events.at(-1)).toMatchObject({ type: 'result', is_error: false, result: 'done' });
  });

  it('without credentials, reports not logged in and sends nothing anywhere', async () => {
    const cwd = tempDir('stand-in-cwd-');
    const env = claudeTestEnv({ home: tempDir('stand-in-home-') });
    expect(Object.keys(env).some((key) => key.startsWith('ANTHROPIC_'))).toBe(false);
    const run = await runClaude(['-p', 'hi', '--output-format', 'stream-json', '--verbose'], env, cwd);
    expect(run.code).toBe(1);
    expect(run.events[0]).toMatchObject({ type: 'system', subtype: 'init', apiKeySource: 'none' });
    const assistant = run.events.find((e) => e.type === 'assistant');
    expect(assistant.error).toBe('authentication_failed');
    expect(run.events.at(-1)).toMatchObject({ type: 'result', is_error: true, result: 'Not logged in · Please run /login' });
    expect(existsSync(join(cwd, 'a.txt'))).toBe(false);
  });
});

describe('a Claude subscription through the stand-in', () => {
  it('reports a reached usage limit with its reset time', async () => {
    const resetsAt = new Date(Date.now() + 2 * 3600_000);
    const standIn = await standInWith([usageLimitTurn(resetsAt)]);
    const env = claudeTestEnv({ home: tempDir('stand-in-home-'), standInUrl: standIn.url, auth: 'subscription' });
    expect(env.ANTHROPIC_API_KEY).toBeUndefined();
    const run = await runClaude(['-p', 'hi', '--output-format', 'stream-json', '--verbose'], env, tempDir('stand-in-cwd-'));
    expect(run.code).toBe(1);
    const limit = run.events.find((e) => e.type === 'rate_limit_event');
    expect(limit.rate_limit_info).toMatchObject({ status: 'rejected', resetsAt: Math.floor(resetsAt.getTime() / 1000), rateLimitType: 'five_hour' });
    expect(run.events.find((e) => e.type === 'assistant').error).toBe('rate_limit');
    expect(run.events.at(-1)).toMatchObject({ type: 'result', is_error: true });
    expect(run.events.at(-1).result).toMatch(/^You've hit your (?:session|5-hour) limit · resets /);
    expect(standIn.messageRequests[0]!.headers.authorization).toBe('Bearer sk-ant-oat01-stand-in-test-token');
  });
});
