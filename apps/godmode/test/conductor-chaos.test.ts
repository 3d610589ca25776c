import { describe, expect, it } from 'vitest';
import { expectNoProcessOfRun, godmode, journalOf, tempProject } from './helpers.js';
import { detachedRuns, expectHealthyJournal, finished, lease, waitFor } from './run-invariants.js';

// The conductor SIGKILLed at random moments and taken over (the other takeovers: conductor-takeover.test.ts).
const startDetached = detachedRuns();

describe('takeover at random moments', () => {
  it('a conductor SIGKILLed at random moments: takeover ends with the undisturbed verdicts, nothing shipped runs again, no orphans', async () => {
    // 12 moments in the suite (a minute and a half); GODMODE_CHAOS_ROUNDS=30 or more for a long soak.
    const rounds = Number(process.env.GODMODE_CHAOS_ROUNDS ?? 12);
    const expected = { a: 'shipped', b: 'shipped', c: 'shipped', d: 'shipped' };
    const one = async (round: number) => {
      const project = tempProject();
      const runDir = await startDetached(project);
      await waitFor(() => (lease(runDir)?.pid ?? 0) > 0, 10_000, 'the first lease');
      const killAfter = 200 + ((round * 7919) % 5_000);
      await new Promise((r) => setTimeout(r, killAfter));
      const victim = lease(runDir)!.pid;
      try {
        process.kill(victim, 'SIGKILL');
      } catch {
        // it may have finished already: then the takeover has nothing to do, which is fine
      }
      const t = await godmode(['orchestra', 'takeover', runDir, '--json', '--cwd', project], { timeoutMs: 90_000 });
      expect(t.code, t.stderr).toBe(0);
      await waitFor(() => finished(runDir), 60_000, 'the run to finish');
      const final: Record<string, string> = {};
      for (const e of journalOf(runDir)) if (e.kind === 'stream.signoff') final[e.payload.stream] = e.payload.status;
      expect(final, `round ${round}, killed after ${killAfter} ms`).toEqual(expected);
      expectHealthyJournal(runDir);
      await expectNoProcessOfRun(runDir, 10_000);
    };
    for (let i = 0; i < rounds; i += 3) {
      await Promise.all([one(i), one(i + 1), one(i + 2)].slice(0, Math.min(3, rounds - i)));
    }
  }, 900_000);
});
