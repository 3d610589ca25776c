import { z } from 'zod';
import { ID_PATTERN, RUN_ID_PATTERN } from './id-patterns.js';
import { lazySchema } from './lazy-schema.js';

/** Stream and phase ids become folder names and git branch names, so they are kept plain. */
export const idSchema = /* @__PURE__ */ lazySchema(() => z
  .string()
  .regex(ID_PATTERN, 'an id of letters, digits, ".", "_" or "-" (at most 64), starting with a letter or digit'));

export const runIdSchema = /* @__PURE__ */ lazySchema(() => z.string().regex(RUN_ID_PATTERN, 'a run id of letters, digits, ".", "_" or "-"'));
