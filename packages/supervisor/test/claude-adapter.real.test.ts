import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claudeTestEnv, findClaudeBinary, startModelStandIn } from '@godmode/model-stand-in';
import type { WorkerEvent } from '@godmode/protocol';
import { describe, expect, it } from 'vitest';
import { Supervisor } from '../src/index.js';

// The real Claude Code CLI, with Anthropic's API replaced by the local stand-in (see @godmode/model-stand-in).
async function runClaude(env: Record<string, string>, prompt: string) {
  const dir = mkdtempSync(join(tmpdir(), 'godmode-claude-'));
  const supervisor = new Supervisor({ samplePeriodMs: 200, stallWindowMs: 60_000, resultGraceMs: 5_000 });
  const events: WorkerEvent[] = [];
  const drained = (async () => {
    for await (const e of supervisor.events()) {
      events.push(e);
      if (e.type === 'exited') break;
    }
  })();
  const identity = await supervisor.spawn({
    stream: 'agent',
    attempt: 1,
    spec: { adapter: 'claude', options: { prompt, executable: findClaudeBinary(), bare: true, allowedTools: ['Bash'] } },
    workdir: join(dir, 'work'),
    attemptDir: join(dir, 'attempt'),
    env,
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
      const init = events.find((e) => e.type === 'activity' && e.kind === 'init') as Extract<WorkerEvent, { type: 'activity' }>;
      expect(init.detail.sessionId).toMatch(/[0-9a-f-]{36}/);
      expect(events.some((e) => e.type === 'activity' && e.kind === 'tool_use' && e.detail.name === 'Bash')).toBe(true);
      const result = events.find((e) => e.type === 'result') as Extract<WorkerEvent, { type: 'result' }>;
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
    expect(events.at(-1)).toMatchObject({ type: 'exited' });
  }, 120_000);
});
