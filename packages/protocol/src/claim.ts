import { z } from 'zod';
import { lazySchema } from './lazy-schema.js';

/**
 * A worker's own account of its work (`result.json`). Testimony, never proof: every field is
 * optional and unknown fields are kept, because workers write whatever they write.
 */
export const claimSchema = /* @__PURE__ */ lazySchema(() => z
  .object({
    stream: z.string().optional(),
    status: z.string().optional().describe('free text, e.g. "success", "partial", "throttled stub"'),
    artifacts: z.array(z.string()).optional(),
    summary: z.string().optional(),
  })
  .passthrough());
export type Claim = z.infer<typeof claimSchema>;
