import { z } from 'zod';
import { lazySchema } from './lazy-schema.js';

/** Who conducts a run (`lease.json`). The token only ever grows. */
export const leaseSchema = /* @__PURE__ */ lazySchema(() => z.object({
  holder: z.string().min(1),
  pid: z.number().int().positive(),
  host: z.string(),
  token: z.number().int().positive(),
  acquiredAt: z.string(),
  renewedAt: z.string(),
  /** Epoch milliseconds after which anyone may take the lease. */
  expiresAt: z.number(),
  /** Set by release; a released lease is free at once. */
  released: z.boolean().default(false),
}));
export type Lease = z.infer<typeof leaseSchema>;
