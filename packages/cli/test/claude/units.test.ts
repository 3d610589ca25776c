import { chmodSync, mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { claudeArgs, PROMPT_ARG_LIMIT } from '../../src/claude/claude-args.js';
import { resolveClaudeBinary } from '../../src/claude/binary.js';
import { ClaudeNotInstalledError } from '../../src/claude/errors/claude-not-installed-error.js';
import { ClaudeNotLoggedInError } from '../../src/claude/errors/claude-not-logged-in-error.js';
import { ClaudeUsageLimitError } from '../../src/claude/errors/claude-usage-limit-error.js';
import { PromptInputError } from '../../src/claude/errors/prompt-input-error.js';
import { SkillNotInstalledError } from '../../src/claude/errors/skill-not-installed-error.js';
import { FailureWatch } from '../../src/claude/failure.js';
import { writeTemporaryMcpConfig } from '../../src/claude/mcp-config.js';
import { buildPrompt } from '../../src/claude/prompt-input.js';
import { skillPrompt } from '../../src/claude/skills.js';
import { TextRenderer } from '../../src/claude/text-renderer.js';
import { compareVersions, unknownOption } from '../../src/claude/version.js';
import { claudeOptionsFrom } from '../../src/claude/flags.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'godmode-claude-unit-'));
  dirs.push(dir);
  return dir;
}

describe('claude argv', () => {
  it('is headless stream-json with the common options, and the prompt last after "--"', () => {
    const { args, stdinPrompt } = claudeArgs({
      prompt: '-rf looks like a flag',
      model: 'opus',
      maxTurns: 3,
      maxBudgetUsd: 0.5,
      permissionMode: 'acceptEdits',
      allowedTools: ['Bash(git:*)', 'Edit'],
      mcpConfigFile: '/tmp/x/mcp.json',
      resume: 'abc',
      partialMessages: true,
    });
    expect(args).toEqual([
      '-p', '--output-format', 'stream-json', '--verbose', '--include-partial-messages',
      '--model', 'opus', '--max-turns', '3', '--max-budget-usd', '0.5', '--permission-mode', 'acceptEdits',
      '--allowedTools', 'Bash(git:*),Edit', '--mcp-config', '/tmp/x/mcp.json', '--resume', 'abc',
      '--', '-rf looks like a flag',
    ]);
    expect(stdinPrompt).toBeUndefined();
  });

  it('sends a prompt too large for argv through stdin, and a new session by id', () => {
    const prompt = 'x'.repeat(PROMPT_ARG_LIMIT + 1);
    const { args, stdinPrompt } = claudeArgs({ prompt, sessionId: '11111111-1111-4111-8111-111111111111' });
    expect(stdinPrompt).toBe(prompt);
    expect(args).not.toContain(prompt);
    expect(args.slice(-2)).toEqual(['--session-id', '11111111-1111-4111-8111-111111111111']);
  });

  it('maps flag values to options, dropping what was not given', () => {
    expect(claudeOptionsFrom({ 'allowed-tools': [' Bash ', 'Edit', ''], 'max-turns': 2 })).toEqual({ allowedTools: ['Bash', 'Edit'], maxTurns: 2 });
    expect(claudeOptionsFrom({})).toEqual({});
  });
});

describe('which claude', () => {
  it('finds claude on PATH, honours GODMODE_CLAUDE_BIN, and says how to install when missing', () => {
    const dir = temp();
    const fake = join(dir, 'claude');
    writeFileSync(fake, '#!/bin/sh\n');
    chmodSync(fake, 0o755);
    expect(resolveClaudeBinary({ PATH: `/nonexistent:${dir}` })).toBe(fake);
    expect(resolveClaudeBinary({ PATH: '', GODMODE_CLAUDE_BIN: fake })).toBe(fake);
    let error: unknown;
    try {
      resolveClaudeBinary({ PATH: '/nonexistent' });
    } catch (e) {
      error = e;
    }
    expect(ClaudeNotInstalledError.isInstance(error)).toBe(true);
    expect((error as ClaudeNotInstalledError).hint).toMatch(/npm install -g @anthropic-ai\/claude-code/);
    expect(() => resolveClaudeBinary({ PATH: dir, GODMODE_CLAUDE_BIN: join(dir, 'nope') })).toThrow(/GODMODE_CLAUDE_BIN points at/);
    chmodSync(fake, 0o644);
    expect(() => resolveClaudeBinary({ PATH: dir })).toThrow(/not installed/);
  });
});

describe('failures in the event stream', () => {
  it('stops at the first rejected-login retry instead of waiting out Claude Code retrying', () => {
    const watch = new FailureWatch();
    const stop = watch.observe({ type: 'system', subtype: 'api_retry', attempt: 1, error_status: 401, error: 'authentication_failed' });
    expect(ClaudeNotLoggedInError.isInstance(stop)).toBe(true);
    expect((stop as ClaudeNotLoggedInError).reason).toBe('rejected');
  });

  it('reads not logged in from the synthetic message and result', () => {
    const watch = new FailureWatch();
    watch.observe({ type: 'assistant', error: 'authentication_failed', message: { content: [] } });
    const error = watch.fromResult({ type: 'result', subtype: 'success', is_error: true, result: 'Not logged in · Please run /login' });
    expect(ClaudeNotLoggedInError.isInstance(error)).toBe(true);
    expect((error as ClaudeNotLoggedInError).reason).toBe('no-credentials');
    expect((error as ClaudeNotLoggedInError).hint).toMatch(/`claude`.*`\/login`/);
  });

  it('reads a usage limit and when it resets from rate_limit_event', () => {
    const watch = new FailureWatch();
    const resetsAt = Math.floor(Date.now() / 1000) + 3600;
    watch.observe({ type: 'rate_limit_event', rate_limit_info: { status: 'rejected', resetsAt, rateLimitType: 'five_hour' } });
    const error = watch.fromResult({ type: 'result', subtype: 'success', is_error: true, result: "You've hit your session limit · resets 3pm" });
    expect(ClaudeUsageLimitError.isInstance(error)).toBe(true);
    expect((error as ClaudeUsageLimitError).resetsAt?.getTime()).toBe(resetsAt * 1000);
    expect((error as ClaudeUsageLimitError).message).toMatch(/resets at/);
  });

  it('leaves other errors and successes to the caller', () => {
    const watch = new FailureWatch();
    expect(watch.fromResult({ type: 'result', subtype: 'error_max_turns', is_error: true })).toBeUndefined();
    expect(watch.fromResult({ type: 'result', subtype: 'success', is_error: false, result: 'usage limit' })).toBeUndefined();
  });

  it('names the option an old Claude Code rejects, and compares versions numerically', () => {
    expect(unknownOption("error: unknown option '--max-budget-usd'\n")).toBe('--max-budget-usd');
    expect(unknownOption('something else')).toBeUndefined();
    expect(compareVersions('2.1.9', '2.1.100')).toBeLessThan(0);
    expect(compareVersions('2.1.100', '2.1.100')).toBe(0);
    expect(compareVersions('10.0.0', '9.9.9')).toBeGreaterThan(0);
  });
});

describe('the prompt with files and stdin', () => {
  const stdin = (text: string) => Object.assign(Readable.from([Buffer.from(text)]), { isTTY: false });

  it('attaches files and stdin in labelled blocks', async () => {
    const cwd = temp();
    writeFileSync(join(cwd, 'a.txt'), 'alpha\n');
    mkdirSync(join(cwd, 'sub'));
    writeFileSync(join(cwd, 'sub', 'b.md'), 'beta');
    const prompt = await buildPrompt({ prompt: 'Compare', files: ['a.txt', 'sub/b.md', '-'], cwd, stdin: stdin('gamma\n') });
    expect(prompt).toBe('Compare\n\n<file path="a.txt">\nalpha\n</file>\n\n<file path="sub/b.md">\nbeta\n</file>\n\n<stdin>\ngamma\n</stdin>');
  });

  it('reads the prompt itself from stdin', async () => {
    expect(await buildPrompt({ prompt: '-', cwd: temp(), stdin: stdin('  from a pipe \n') })).toBe('from a pipe');
  });

  it('refuses stdin twice, a terminal stdin, missing and binary files, an empty prompt', async () => {
    const cwd = temp();
    writeFileSync(join(cwd, 'bin.dat'), Buffer.from([1, 0, 2]));
    const tty = Object.assign(Readable.from([]), { isTTY: true });
    const cases = [
      () => buildPrompt({ prompt: '-', files: ['-'], cwd, stdin: stdin('x') }),
      () => buildPrompt({ prompt: '-', cwd, stdin: tty }),
      () => buildPrompt({ prompt: 'p', files: ['missing.txt'], cwd }),
      () => buildPrompt({ prompt: 'p', files: ['bin.dat'], cwd }),
      () => buildPrompt({ prompt: '   ', cwd }),
    ];
    const messages: string[] = [];
    for (const attempt of cases) {
      const error = await attempt().then(() => undefined, (e: unknown) => e);
      expect(PromptInputError.isInstance(error)).toBe(true);
      messages.push((error as Error).message);
    }
    expect(messages[0]).toMatch(/only once/);
    expect(messages[1]).toMatch(/terminal/);
    expect(messages[2]).toMatch(/Cannot read missing\.txt: ENOENT/);
    expect(messages[3]).toMatch(/binary/);
    expect(messages[4]).toMatch(/empty/);
  });
});

describe('skills', () => {
  it('turns an installed skill into its slash command, project folder first, and names the folders when missing', async () => {
    const home = temp();
    const cwd = temp();
    mkdirSync(join(home, '.claude', 'skills', 'greet'), { recursive: true });
    writeFileSync(join(home, '.claude', 'skills', 'greet', 'SKILL.md'), '---\nname: greet\n---\nhi');
    expect(await skillPrompt('greet', ' Ada ', cwd, { HOME: home })).toBe('/greet Ada');
    expect(await skillPrompt('greet', undefined, cwd, { HOME: home })).toBe('/greet');
    const error = await skillPrompt('nope', undefined, cwd, { HOME: home }).catch((e: unknown) => e);
    expect(SkillNotInstalledError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain(join(cwd, '.claude', 'skills'));
    expect(await skillPrompt('../etc', undefined, cwd, { HOME: home }).catch((e: unknown) => PromptInputError.isInstance(e))).toBe(true);
  });
});

describe('the temporary MCP config', () => {
  it('is 0600 in a 0700 folder, and gone after dispose', async () => {
    const parent = temp();
    const config = await writeTemporaryMcpConfig({ mcpServers: { godmode: { type: 'http', url: 'http://x', headers: { Authorization: 'Bearer gmmcp_secret' } } } }, parent);
    expect(statSync(config.file).mode & 0o777).toBe(0o600);
    expect(statSync(join(config.file, '..')).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(config.file, 'utf8')).mcpServers.godmode.headers.Authorization).toBe('Bearer gmmcp_secret');
    await config.dispose();
    expect(existsSync(join(config.file, '..'))).toBe(false);
  });
});

describe('text rendering', () => {
  it('streams deltas, does not repeat the whole message, notes tool calls, and skips synthetic errors', () => {
    let out = '';
    let notes = '';
    const renderer = new TextRenderer({ write: (t: string) => (out += t) }, { write: (t: string) => (notes += t) });
    const delta = (text: string) => ({ type: 'stream_event', event: { type: 'content_block_delta', delta: { type: 'text_delta', text } } });
    renderer.render(delta('Hel'));
    renderer.render(delta('lo'));
    renderer.render({ type: 'assistant', message: { content: [{ type: 'text', text: 'Hello' }, { type: 'tool_use', name: 'Bash', input: { command: 'ls  -la' } }] } });
    renderer.render({ type: 'assistant', message: { content: [{ type: 'text', text: 'Whole message.' }] } });
    renderer.render({ type: 'assistant', error: 'authentication_failed', message: { content: [{ type: 'text', text: 'Not logged in' }] } });
    renderer.finish();
    expect(out).toBe('Hello\nWhole message.\n');
    expect(notes).toBe('  → Bash: ls -la\n');
  });
});
