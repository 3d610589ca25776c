import { z } from 'zod';
import { lazySchema } from './lazy-schema.js';
import { relativePathSchema, staysInside } from './relative-path.js';

/** A file that must exist in the stream's work tree for the stream to count. */
export const pathDeliverableSchema = /* @__PURE__ */ lazySchema(() => z.object({ path: relativePathSchema }).strict());

/** At least `min` files matching a glob inside the work tree. */
export const globDeliverableSchema = /* @__PURE__ */ lazySchema(() => z
  .object({
    glob: z.string().min(1).refine((g) => staysInside(g.replace(/\*\*\/?|\*/g, 'x')), {
      message: 'a glob inside the work tree (relative, without ".." leading out of it)',
    }),
    min: z.number().int().positive().default(1),
  })
  .strict());

/**
 * A plain string is a path; an object is `{ path }` or `{ glob, min }`. One object schema rather than a
 * union, so that an error points at the offending field instead of "invalid input".
 */
export const deliverableSchema = /* @__PURE__ */ lazySchema(() => z.preprocess(
  (value) => (typeof value === 'string' ? { path: value } : value),
  z
    .object({
      path: relativePathSchema.optional(),
      glob: globDeliverableSchema.shape.glob.optional(),
      min: z.number().int().positive().optional(),
    })
    .strict()
    .superRefine((d, ctx) => {
      if ((d.path === undefined) === (d.glob === undefined)) {
        ctx.addIssue({ code: 'custom', message: 'a deliverable is a path, or an object with either "path" or "glob"' });
      }
      if (d.path !== undefined && d.min !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['min'], message: '"min" goes with "glob", not "path"' });
      }
    })
    .transform((d): Deliverable => (d.glob !== undefined ? { glob: d.glob, min: d.min ?? 1 } : { path: d.path as string })),
));

export type PathDeliverable = z.infer<typeof pathDeliverableSchema>;
export type GlobDeliverable = z.infer<typeof globDeliverableSchema>;
export type Deliverable = PathDeliverable | GlobDeliverable;

export function isGlobDeliverable(d: Deliverable): d is GlobDeliverable {
  return 'glob' in d;
}

/** A short human label: the path, or `glob (≥ min)`. */
export function describeDeliverable(d: Deliverable): string {
  return isGlobDeliverable(d) ? `${d.glob} (≥ ${d.min})` : d.path;
}
