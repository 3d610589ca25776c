import { GodmodeError } from '@godmode/protocol';

const marker = Symbol.for('godmode.error.merge');

/** The merger cannot start: the integration repository or output folder is not usable as it stands. */
export class MergeError extends GodmodeError {
  private readonly [marker] = true;

  constructor(options: { message: string; hint?: string; cause?: unknown }) {
    super({ code: 'MERGE_FAILED', audience: 'user', ...options });
    this.name = 'MergeError';
  }

  static override isInstance(error: unknown): error is MergeError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
