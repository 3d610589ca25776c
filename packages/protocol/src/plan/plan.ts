import { z } from 'zod';
import { lazySchema } from '../lazy-schema.js';
import { deliverableSchema, globDeliverableSchema } from '../deliverable.js';
import { idSchema } from '../ids.js';
import { workerSpecSchema } from '../worker-spec.js';
import { workerEnvPolicySchema } from '../worker-env.js';

const durationMs = /* @__PURE__ */ lazySchema(() => z.number().int().positive());

/** A command the reconciler (per stream) or the scorer (per run) runs itself. */
export const checkSchema = /* @__PURE__ */ lazySchema(() => z.union([
  z.string().min(1).transform((command) => ({ command, timeoutMs: 120_000 })),
  z.object({ command: z.string().min(1), timeoutMs: durationMs.default(120_000) }).strict(),
]));
export type Check = z.infer<typeof checkSchema>;

export const streamSchema = /* @__PURE__ */ lazySchema(() => z
  .object({
    id: idSchema,
    description: z.string().optional(),
    worker: workerSpecSchema,
    deliverables: z.array(deliverableSchema).default([]),
    check: checkSchema.optional(),
    /** Hard wall-clock budget of one attempt. */
    budgetMs: durationMs.optional(),
    maxAttempts: z.number().int().positive().optional(),
    /** Merge this stream even when its verdict is only `partial`. */
    mergePartial: z.boolean().optional(),
    /** Globs of the files this stream may change; its deliverables are inside them by default. */
    owns: z.array(globDeliverableSchema.shape.glob).optional(),
    /** Let this stream's deliverables and `owns` overlap another stream's of the same phase. */
    allowOverlap: z.boolean().optional(),
  })
  .strict());
export type Stream = z.infer<typeof streamSchema>;

export const phaseSchema = /* @__PURE__ */ lazySchema(() => z
  .object({
    id: idSchema,
    description: z.string().optional(),
    /** Streams of this phase running at once, before the governor's own admission. */
    parallelism: z.number().int().positive().default(4),
    streams: z.array(streamSchema).min(1),
  })
  .strict());
export type Phase = z.infer<typeof phaseSchema>;

/** Run-wide settings; every timeout has a name and a default. */
export const planSettingsSchema = /* @__PURE__ */ lazySchema(() => z
  .object({
    cpuCeiling: z.number().gt(0).lte(1).default(0.8),
    /** Share of RAM that must stay available for another worker to be admitted (pausing frees no memory). */
    memoryFloor: z.number().min(0).lt(1).default(0.1),
    samplePeriodMs: durationMs.default(1_000),
    stallWindowMs: durationMs.default(15 * 60_000),
    spinWindowMs: durationMs.optional(),
    budgetMs: durationMs.default(60 * 60_000),
    reapGraceMs: durationMs.default(10_000),
    resultGraceMs: durationMs.default(30_000),
    maxAttempts: z.number().int().positive().default(3),
    retryBaseMs: durationMs.default(10_000),
    retryMaxMs: durationMs.default(5 * 60_000),
    leaseTtlMs: durationMs.default(5_000),
    canaries: z.number().int().min(0).default(10),
  })
  .strict());
export type PlanSettings = z.infer<typeof planSettingsSchema>;

export const planSchema = /* @__PURE__ */ lazySchema(() => z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    settings: planSettingsSchema.default(planSettingsSchema.parse({})),
    merge: z
      .object({ mode: z.enum(['folder', 'git']).default('folder') })
      .strict()
      .default({ mode: 'folder' }),
    /**
     * The git repository the run works on (a path, relative to the plan file): each stream gets a worktree of
     * it and the merge queue an integration branch. Default: the repository the run is started in, if any.
     * `false`: plain folders, as in a folder that is no repository.
     */
    repo: z.union([z.string().min(1), z.literal(false)]).optional(),
    /** A command run in each new stream worktree before its worker starts (e.g. `pnpm install --frozen-lockfile --offline`). */
    setup: z.string().min(1).optional(),
    /** How long `setup` may take before it is stopped and the stream fails with its output kept. */
    setupTimeoutMs: durationMs.default(10 * 60_000),
    /** What a stream held by the merge queue (conflicts, or breaks a check) gets: kept as held, or retried once on the new integration head. */
    onHold: z.enum(['keep', 'retry']).default('keep'),
    /** Claude streams resume their earlier session on a retry (`--resume <session id>`). */
    resume: z.boolean().default(true),
    /** Merge streams whose verdict is only `partial` (a stream's own `mergePartial` wins). */
    mergePartial: z.boolean().default(false),
    /** What workers inherit of the conductor's environment: `inherit` (default) or `{ allow: [names] }`; never godmode's credentials. */
    env: workerEnvPolicySchema.default('inherit'),
    /** The scorer's test command, run on the merged tree. */
    test: checkSchema.optional(),
    lint: checkSchema.optional(),
    typecheck: checkSchema.optional(),
    phases: z.array(phaseSchema).min(1),
  })
  .strict()
  .superRefine((plan, ctx) => {
    const seenStreams = new Map<string, string>();
    const seenPhases = new Set<string>();
    plan.phases.forEach((phase, p) => {
      if (seenPhases.has(phase.id)) {
        ctx.addIssue({ code: 'custom', path: ['phases', p, 'id'], message: `duplicate phase id "${phase.id}"` });
      }
      seenPhases.add(phase.id);
      phase.streams.forEach((stream, s) => {
        const earlier = seenStreams.get(stream.id);
        if (earlier !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['phases', p, 'streams', s, 'id'],
            message: `duplicate stream id "${stream.id}" (first used at ${earlier})`,
          });
        } else {
          seenStreams.set(stream.id, `phases[${p}].streams[${s}]`);
        }
      });
    });
  }));

/** A plan as written by a person (defaults not yet applied). */
export type PlanInput = z.input<typeof planSchema>;
/** A validated plan with every default filled in. */
export type Plan = z.infer<typeof planSchema>;

