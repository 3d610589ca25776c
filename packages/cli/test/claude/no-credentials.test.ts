import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { findClaudeBinary } from '../../../model-stand-in/src/index.js';
import { godmode, testContext, type TestContext } from './support/cli.js';

const contexts: TestContext[] = [];
afterEach(() => contexts.splice(0).forEach((context) => context.dispose()));

describe('with no credentials at all', { timeout: 120_000 }, () => {
  it('`godmode ask hi` exits non-zero with the not-logged-in message, in under 5 s', async () => {
    // No stand-in, no ANTHROPIC_* variables, an empty HOME: nothing to log in with.
    const context = testContext();
    contexts.push(context);
    expect(Object.keys(context.env).filter((key) => /^(ANTHROPIC_|CLAUDE_CODE_OAUTH)/.test(key))).toEqual([]);
    // On a loaded machine Claude Code's own start-up is slower: measure plain `claude -p` here, now.
    const bare = Date.now();
    const alone = await execa(findClaudeBinary(), ['-p', 'hi'], { env: context.env, extendEnv: false, cwd: context.cwd, stdin: 'ignore', reject: false });
    const claudeAlone = Date.now() - bare;
    expect(alone.stdout).toBe('Not logged in · Please run /login');
    const started = Date.now();
    const run = await godmode(['ask', 'hi'], context);
    const elapsed = Date.now() - started;
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/Claude Code is not logged in \(Not logged in · Please run \/login\)/);
    expect(run.stderr).toMatch(/Run `claude`, type `\/login`/);
    expect(run.stdout).toBe('');
    // The limit is functional: no retry loop, no hang. 5 s where `claude -p` alone takes <= 2.5 s (a quiet
    // machine); scaled by the measured slowdown on a loaded one.
    const bound = 5_000 * Math.max(1, claudeAlone / 2_500);
    expect(elapsed, `godmode ${elapsed} ms, claude alone ${claudeAlone} ms`).toBeLessThan(bound);
  });
});
