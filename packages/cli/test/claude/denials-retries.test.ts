import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startModelStandIn, type Turn } from '../../../model-stand-in/src/index.js';
import { godmode, testContext, type TestContext } from './support/cli.js';

// `godmode run` against the real Claude Code CLI: what it hides today — denied tools, and an API it retries.
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(script: Turn[]): Promise<TestContext> {
  const standIn = await startModelStandIn({ script });
  const context = testContext(standIn.url);
  cleanups.push(() => standIn.close(), () => context.dispose());
  return context;
}

describe('godmode run: permission denials and API retries', { timeout: 120_000 }, () => {
  it('reports the tools Claude Code was denied and exits 1, though the model claims success', async () => {
    const context = await setup([{ bash: 'printf x > marker.txt', description: 'write the marker' }, { text: 'All files created successfully.' }]);
    const run = await godmode(['run', 'Write the marker'], context);
    expect(existsSync(join(context.cwd, 'marker.txt'))).toBe(false);
    expect(run.exitCode).toBe(1);
    expect(String(run.stderr)).toMatch(/denied.*Bash/i);
    expect(String(run.stderr)).toContain('printf x > marker.txt');
    expect(String(run.stderr)).toMatch(/--allowed-tools|--permission-mode/);
  });

  it('--json keeps the events untouched and still exits 1 on a denial', async () => {
    const context = await setup([{ bash: 'printf x > marker.txt' }, { text: 'Done.' }]);
    const run = await godmode(['run', 'Write the marker', '--json'], context);
    expect(run.exitCode).toBe(1);
    const result = String(run.stdout).trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>).at(-1)!;
    expect(result.type).toBe('result');
    expect(result.permission_denials).toEqual([expect.objectContaining({ tool_name: 'Bash' })]);
  });

  it('shows that Claude Code is retrying an overloaded API, then the answer', async () => {
    const context = await setup([{ error: { status: 529, type: 'overloaded_error', message: 'Overloaded' }, repeat: 2 }, { text: 'Answered after retries.' }]);
    const run = await godmode(['run', 'hi'], context);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('Answered after retries.');
    expect(String(run.stderr)).toMatch(/retrying the API \(attempt 1\/\d+, 529/);
  });
});
