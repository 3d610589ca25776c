import { GodmodeError } from '@godmode/protocol';

const marker = Symbol.for('godmode.error.cleanup-refused');

/** A work tree holds work that is neither merged nor saved to a ref, so it is not deleted. */
export class CleanupRefusedError extends GodmodeError {
  private readonly [marker] = true;
  readonly workTree: string;
  readonly unsaved: string[];

  constructor(options: { workTree: string; unsaved: string[]; why: string }) {
    const shown = options.unsaved.slice(0, 10).join(', ') + (options.unsaved.length > 10 ? `, and ${options.unsaved.length - 10} more` : '');
    super({
      code: 'CLEANUP_REFUSED',
      audience: 'user',
      message: `Not deleting ${options.workTree}: ${options.why}${shown ? ` (${shown})` : ''}.`,
      hint: 'Merge the stream first, or pass save: true to keep its work under refs/godmode/saved/<stream>.',
    });
    this.name = 'CleanupRefusedError';
    this.workTree = options.workTree;
    this.unsaved = options.unsaved;
  }

  static override isInstance(error: unknown): error is CleanupRefusedError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
