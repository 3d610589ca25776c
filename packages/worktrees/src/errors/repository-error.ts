import { GodmodeError } from '@godmode/protocol';

const marker = Symbol.for('godmode.error.repository');

/** Why a repository cannot carry a run, or an operation on it was refused. Each names what and where. */
export type RepositoryProblem =
  | 'not-a-repository'
  | 'no-commit'
  | 'detached-head'
  | 'base-unresolved'
  | 'branch-exists'
  | 'worktree-path-exists'
  | 'checkout-dirty'
  | 'not-mergeable'
  | 'worktree-dirty';

/**
 * The user's repository (or what the plan says about it) does not allow what was asked. Always the user's
 * to act on: nothing of the repository was changed when this is thrown.
 */
export class RepositoryError extends GodmodeError {
  private readonly [marker] = true;
  readonly problem: RepositoryProblem;
  /** The repository, branch, path or revision concerned. */
  readonly where: string;

  constructor(options: { problem: RepositoryProblem; where: string; message: string; hint?: string }) {
    super({ code: `REPO_${options.problem.toUpperCase().replaceAll('-', '_')}`, audience: 'user', message: options.message, ...(options.hint ? { hint: options.hint } : {}) });
    this.name = 'RepositoryError';
    this.problem = options.problem;
    this.where = options.where;
  }

  static override isInstance(error: unknown): error is RepositoryError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
