import { rm } from 'node:fs/promises';
import path from 'node:path';
import { git, gitOk } from '@godmode/worktrees';

/**
 * The agent's worktrees, one per attempt in progress, reused from one attempt to the next: a free worktree is
 * moved to the next attempt's start commit (`checkout --detach --force`, then `clean -ffdx`: nothing of the
 * last attempt is left, ignored and nested repositories included) instead of adding and removing a worktree —
 * and a branch — per attempt. A worktree whose worker may still be alive (it did not end when stopped) is
 * never handed out again: it is removed, and the next attempt gets a new one.
 */
export class SlotWorktrees {
  private readonly free: string[] = [];
  private next = 1;

  constructor(
    private readonly clone: string,
    private readonly dir: string,
  ) {}

  /** A worktree at `commit` with nothing else in it, detached (the agent's snapshot refs carry the work). */
  async acquire(commit: string): Promise<string> {
    for (let reused = this.free.pop(); reused !== undefined; reused = this.free.pop()) {
      const moved = await git(reused, ['checkout', '--quiet', '--detach', '--force', commit]);
      if (moved.code === 0 && (await git(reused, ['clean', '-ffdxq'])).code === 0) return reused;
      void this.discard(reused);
    }
    const fresh = path.join(this.dir, `slot-${this.next++}`);
    // What an earlier run of this agent left at that path is this agent's own: it goes.
    await rm(fresh, { recursive: true, force: true });
    await gitOk(this.clone, ['worktree', 'prune']);
    await gitOk(this.clone, ['worktree', 'add', '--quiet', '--detach', fresh, commit]);
    return fresh;
  }

  /** Back to the pool when its worker ended; otherwise removed. */
  release(worktree: string, reusable: boolean): void {
    if (reusable) this.free.push(worktree);
    else void this.discard(worktree);
  }

  /** Removes every free worktree (the agent is stopping). */
  async close(): Promise<void> {
    await Promise.all(this.free.splice(0).map((w) => this.discard(w)));
  }

  private async discard(worktree: string): Promise<void> {
    await git(this.clone, ['worktree', 'remove', '--force', worktree]).catch(() => undefined);
  }
}
