import { GodmodeError } from '@godmode/protocol';

const marker = Symbol.for('godmode.error.unknown-adapter');

/** A worker spec names an adapter nobody registered. */
export class UnknownAdapterError extends GodmodeError {
  private readonly [marker] = true;
  readonly adapter: string;

  constructor(adapter: string) {
    super({
      code: 'UNKNOWN_ADAPTER',
      audience: 'user',
      message: `No worker adapter named "${adapter}" is registered.`,
      hint: 'Built-in adapters are "command" and "claude"; install the plugin that provides the others.',
    });
    this.name = 'UnknownAdapterError';
    this.adapter = adapter;
  }

  static override isInstance(error: unknown): error is UnknownAdapterError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
