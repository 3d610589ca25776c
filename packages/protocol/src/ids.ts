import { z } from 'zod';
import { lazySchema } from './lazy-schema.js';

/** Stream and phase ids become folder names and git branch names, so they are kept plain. */
export const idSchema = lazySchema(() => z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'an id of letters, digits, ".", "_" or "-" (at most 64), starting with a letter or digit'));

export const runIdSchema = lazySchema(() => z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'a run id of letters, digits, ".", "_" or "-"'));
