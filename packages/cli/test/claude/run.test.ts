import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startModelStandIn, userText, type ModelStandIn, type Turn } from '../../../model-stand-in/src/index.js';
import { godmode, ndjson, testContext, type TestContext } from './support/cli.js';

// `godmode run` and `godmode skills run` driving the real Claude Code CLI through the model stand-in.
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(script: Turn[]): Promise<{ standIn: ModelStandIn; context: TestContext }> {
  const standIn = await startModelStandIn({ script });
  const context = testContext(standIn.url);
  cleanups.push(() => standIn.close(), () => context.dispose());
  return { standIn, context };
}

describe('godmode run', { timeout: 120_000 }, () => {
  it('sends the prompt, two files and stdin in the first request', async () => {
    const { standIn, context } = await setup([{ text: 'Read all three.' }]);
    writeFileSync(join(context.cwd, 'one.txt'), 'FIRST-FILE-CONTENT\n');
    mkdirSync(join(context.cwd, 'docs'));
    writeFileSync(join(context.cwd, 'docs', 'two.md'), '# SECOND-FILE-CONTENT\n');
    const run = await godmode(['run', 'Summarise these', '--file', 'one.txt', '-f', 'docs/two.md', '--file', '-'], context, { input: 'THIRD-FROM-STDIN\n' });
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('Read all three.');
    const sent = userText(standIn.messageRequests[0]!.body);
    expect(sent).toContain('Summarise these');
    expect(sent).toContain('<file path="one.txt">\nFIRST-FILE-CONTENT\n</file>');
    expect(sent).toContain('<file path="docs/two.md">\n# SECOND-FILE-CONTENT\n</file>');
    expect(sent).toContain('<stdin>\nTHIRD-FROM-STDIN\n</stdin>');
  });

  it('--json is valid NDJSON ending in a result event, and Claude Code’s tool calls really ran', async () => {
    const { context } = await setup([{ bash: 'printf done > marker.txt' }, { text: 'Marker written.' }]);
    const run = await godmode(['run', 'Write the marker', '--json', '--allowed-tools', 'Bash'], context);
    expect(run.exitCode).toBe(0);
    const lines = String(run.stdout).trimEnd().split('\n');
    const events = lines.map((line) => JSON.parse(line) as Record<string, any>);
    expect(events.map((e) => e.type)).toEqual(['system', 'assistant', 'user', 'assistant', 'result']);
    expect(events.at(-1)).toMatchObject({ type: 'result', subtype: 'success', is_error: false, num_turns: 2, result: 'Marker written.' });
    expect(events.every((e) => e.session_id === events[0]!.session_id)).toBe(true);
  });

  it('--output-format json prints only the final result event', async () => {
    const { context } = await setup([{ text: 'Just this.' }]);
    const run = await godmode(['run', 'hi', '--output-format', 'json'], context);
    expect(run.exitCode).toBe(0);
    const documents = ndjson(String(run.stdout));
    expect(documents).toHaveLength(1);
    expect(documents[0]).toMatchObject({ type: 'result', result: 'Just this.', is_error: false });
  });

  it('reads the prompt itself from stdin with "-", and does not hang on a slow answer', async () => {
    const { standIn, context } = await setup([{ silentMs: 1500 }, { text: 'Late but here.' }]);
    const run = await godmode(['run', '-'], context, { input: 'PROMPT-FROM-A-PIPE' });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('Late but here.');
    expect(userText(standIn.messageRequests[0]!.body)).toContain('PROMPT-FROM-A-PIPE');
  });

  it('refuses unreadable input with a clear message, before starting Claude Code', async () => {
    const { standIn, context } = await setup([]);
    const run = await godmode(['run', 'hi', '--file', 'nope.txt'], context);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/Cannot read nope\.txt: ENOENT/);
    expect(run.stderr).not.toMatch(/    at /);
    expect(standIn.requests).toHaveLength(0);
  });
});

describe('godmode skills run', { timeout: 120_000 }, () => {
  it('runs Claude Code with the installed skill expanded, and its input', async () => {
    const { standIn, context } = await setup([{ text: 'Greeted.' }]);
    const folder = join(context.home, '.claude', 'skills', 'greet');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'SKILL.md'), '---\nname: greet\ndescription: Greets someone\n---\nSKILL-BODY: greet $ARGUMENTS warmly\n');
    const run = await godmode(['skills', 'run', 'greet', 'Ada Lovelace'], context);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('Greeted.');
    expect(userText(standIn.messageRequests[0]!.body)).toContain('SKILL-BODY: greet Ada Lovelace warmly');
  });

  it('names the folders it looked in when the skill is not installed', async () => {
    const { context } = await setup([]);
    const run = await godmode(['skills', 'run', 'absent'], context);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/No skill named "absent" is installed/);
    expect(run.stderr).toMatch(/godmode skills install absent/);
  });
});
