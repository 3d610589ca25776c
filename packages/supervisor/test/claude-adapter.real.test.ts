import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claudeTestEnv, findClaudeBinary, startModelStandIn, usageLimitTurn } from '@godmode/model-stand-in';
import { describe, expect, it } from 'vitest';
import { Supervisor, type SupervisorEvent } from '../src/index.js';

// The real Claude Code CLI, with Anthropic's API replaced by the local stand-in (see @godmode/model-stand-in).
async function runClaude(env: Record<string, string>, prompt: string, more: { resumeSessionId?: string; dir?: string; bare?: boolean } = {}) {
  const { resumeSessionId, dir = mkdtempSync(join(tmpdir(), 'godmode-claude-')), bare = true } = more;
  const supervisor = new Supervisor({ samplePeriodMs: 200, stallWindowMs: 60_000, resultGraceMs: 5_000 });
  const events: SupervisorEvent[] = [];
  const drained = (async () => {
    for await (const e of supervisor.events()) {
      events.push(e);
      if (e.type === 'exited') break;
    }
  })();
  const identity = await supervisor.spawn({
    stream: 'agent',
    attempt: 1,
    spec: { adapter: 'claude', options: { prompt, executable: findClaudeBinary(), bare, allowedTools: ['Bash'] } },
    workdir: join(dir, 'work'),
    attemptDir: join(dir, resumeSessionId ? 'attempt-resumed' : 'attempt'),
    env,
    ...(resumeSessionId ? { resumeSessionId } : {}),
  });
  await drained;
  await supervisor.close();
  return { identity, events, work: join(dir, 'work') };
}

describe('claude adapter against the real Claude Code CLI', () => {
  it('runs Bash tool calls that write real files; session id, tool use and cost are parsed', async () => {
    const standIn = await startModelStandIn({ script: [{ bash: 'mkdir -p src && echo "export const x = 1;" > src/x.ts' }, { text: 'wrote src/x.ts' }] });
    try {
      const home = mkdtempSync(join(tmpdir(), 'godmode-claude-home-'));
      const { events, work } = await runClaude(claudeTestEnv({ home, standInUrl: standIn.url }) as Record<string, string>, 'write src/x.ts');
      expect(readFileSync(join(work, 'src/x.ts'), 'utf8')).toBe('export const x = 1;\n');
      const init = events.find((e) => e.type === 'activity' && e.kind === 'init') as Extract<SupervisorEvent, { type: 'activity' }>;
      expect(init.detail.sessionId).toMatch(/[0-9a-f-]{36}/);
      expect(events.some((e) => e.type === 'activity' && e.kind === 'tool_use' && e.detail.name === 'Bash')).toBe(true);
      const result = events.find((e) => e.type === 'result') as Extract<SupervisorEvent, { type: 'result' }>;
      expect(result).toMatchObject({ isError: false, text: 'wrote src/x.ts', sessionId: init.detail.sessionId });
      expect(typeof result.costUsd).toBe('number');
      expect(events.at(-1)).toMatchObject({ type: 'exited', exitCode: 0 });
    } finally {
      await standIn.close();
    }
  }, 120_000);

  it('without any credentials yields the typed not-logged-in error, once, and no retry loop', async () => {
    const home = mkdtempSync(join(tmpdir(), 'godmode-claude-nocreds-'));
    const { events } = await runClaude(claudeTestEnv({ home }) as Record<string, string>, 'hi');
    const errors = events.filter((e) => e.type === 'error');
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors[0]).toMatchObject({ code: 'not-logged-in' });
    expect(events.filter((e) => e.type === 'spawned')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'exited', reason: { code: 'not-logged-in', retryable: false } });
  }, 120_000);

  it('reports a reached usage limit on exited as retryable, with its reset time', async () => {
    const resetsAt = new Date(Date.now() + 2 * 3600_000);
    const standIn = await startModelStandIn({ script: [usageLimitTurn(resetsAt)] });
    try {
      const env = claudeTestEnv({ home: mkdtempSync(join(tmpdir(), 'godmode-claude-limit-')), standInUrl: standIn.url, auth: 'subscription' }) as Record<string, string>;
      const { events } = await runClaude(env, 'hi', { bare: false });
      expect(events.at(-1)).toMatchObject({ type: 'exited', exitCode: 1, reason: { code: 'usage-limit', retryable: true, resetAt: new Date(Math.floor(resetsAt.getTime() / 1000) * 1000).toISOString() } });
    } finally {
      await standIn.close();
    }
  }, 120_000);

  it('resumes an earlier session with --resume when the spawn names it', async () => {
    const standIn = await startModelStandIn({ script: [{ text: 'first' }, { text: 'second' }] });
    try {
      const home = mkdtempSync(join(tmpdir(), 'godmode-claude-resume-'));
      const env = claudeTestEnv({ home, standInUrl: standIn.url }) as Record<string, string>;
      const dir = mkdtempSync(join(tmpdir(), 'godmode-claude-'));
      const first = await runClaude(env, 'one', { dir });
      const init = first.events.find((e) => e.type === 'activity' && e.kind === 'init') as Extract<SupervisorEvent, { type: 'activity' }>;
      const sessionId = String(init.detail.sessionId);
      const second = await runClaude(env, 'two', { resumeSessionId: sessionId, dir });
      expect(second.identity.cmdline).toContain(`--resume ${sessionId}`);
      const result = second.events.find((e) => e.type === 'result') as Extract<SupervisorEvent, { type: 'result' }>;
      expect(result).toMatchObject({ isError: false, text: 'second' });
      // The resumed conversation carries the first exchange to the model.
      expect(JSON.stringify(standIn.messageRequests.at(-1)?.body ?? '')).toContain('one');
    } finally {
      await standIn.close();
    }
  }, 120_000);
});
