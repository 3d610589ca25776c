import { afterEach, describe, expect, it } from 'vitest';
import { startModelStandIn, userText, type ModelStandIn, type Turn } from '../../../model-stand-in/src/index.js';
import { godmodeCommand, testContext, type TestContext } from './support/cli.js';
import { TmuxSession } from './support/tmux.js';

// `godmode chat` in a real terminal (tmux), over the real Claude Code CLI and the model stand-in.
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function chatIn(script: Turn[]): Promise<{ standIn: ModelStandIn; context: TestContext; tmux: TmuxSession }> {
  const standIn = await startModelStandIn({ script });
  const context = testContext(standIn.url);
  const tmux = new TmuxSession(context.home);
  cleanups.push(() => standIn.close(), () => context.dispose(), () => tmux.kill());
  const command = godmodeCommand(['chat']);
  tmux.start([command.file, ...command.args], { ...context.env, TERM: 'xterm-256color' }, context.cwd);
  await tmux.waitFor(/› $/m);
  return { standIn, context, tmux };
}

const sessionHeader = (standIn: ModelStandIn) => standIn.messageRequests.map((r) => r.headers['x-claude-code-session-id']);

describe('godmode chat in a terminal', { timeout: 180_000 }, () => {
  it('completes two turns in one Claude Code session and leaves on /exit', async () => {
    const { standIn, tmux } = await chatIn([{ text: 'First answer from the stand-in.' }, { text: 'Second answer, same session.' }]);
    tmux.type('hello there');
    await tmux.waitFor(/First answer from the stand-in\.\n.*› $/ms);
    tmux.type('and once more');
    await tmux.waitFor(/Second answer, same session\.\n.*› $/ms);
    tmux.type('/exit');
    const screen = await tmux.waitFor(/COMMAND-EXIT:\d+/);
    expect(screen).toMatch(/COMMAND-EXIT:0/);

    expect(standIn.messageRequests).toHaveLength(2);
    const [first, second] = sessionHeader(standIn);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(second).toBe(first);
    // The second turn carries the first: it is one conversation.
    const history = userText(standIn.messageRequests[1]!.body);
    expect(history).toContain('hello there');
    expect(history).toContain('and once more');
    expect(JSON.stringify(standIn.messageRequests[1]!.body.messages)).toContain('First answer from the stand-in.');
    expect(screen).toContain(`session ${first as string} · 2 turns`);
  });

  it('Ctrl-C interrupts a running turn, the chat goes on in the same session, a second Ctrl-C leaves', async () => {
    const { standIn, tmux } = await chatIn([{ silentMs: 60_000 }, { text: 'never shown' }, { text: 'After the interrupt.' }]);
    tmux.type('take forever');
    await waitUntil(() => standIn.messageRequests.length === 1);
    tmux.key('C-c');
    await tmux.waitFor(/\(interrupted — Ctrl-C again to leave\)[\s\S]*› $/m);
    tmux.type('go on');
    await tmux.waitFor(/After the interrupt\.\n.*› $/ms);
    const ids = sessionHeader(standIn);
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBe(ids[0]);
    tmux.key('C-c');
    await tmux.waitFor(/Ctrl-C again or \/exit to leave/);
    tmux.key('C-c');
    expect(await tmux.waitFor(/COMMAND-EXIT:\d+/)).toMatch(/COMMAND-EXIT:0/);
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
