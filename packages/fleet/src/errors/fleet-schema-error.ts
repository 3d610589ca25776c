import { GodmodeError } from '@godmode/protocol';

const marker = Symbol.for('godmode.error.fleet-schema');

/** The database has no godmode fleet schema (or pg-boss's), or one at another version. */
export class FleetSchemaError extends GodmodeError {
  private readonly [marker] = true;

  constructor(options: { database: string; found: number | null; expected: number; what?: string }) {
    const what = options.what ?? 'godmode fleet schema';
    super({
      code: 'FLEET_SCHEMA',
      audience: 'user',
      message:
        options.found === null
          ? `${options.database} has no ${what}.`
          : `${options.database} has ${what} at version ${options.found}; this godmode needs version ${options.expected}.`,
      hint: 'Create or update it once with `godmode fleet agent --db <url> --migrate` (the role needs CREATE on the database).',
    });
    this.name = 'FleetSchemaError';
  }

  static override isInstance(error: unknown): error is FleetSchemaError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
