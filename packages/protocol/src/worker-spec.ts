import { z } from 'zod';
import { lazySchema } from './lazy-schema.js';
import { CLAUDE_PERMISSION_MODES } from './permission-modes.js';

/** Options of the built-in `command` adapter: a shell command line, or an argv run without a shell. */
export const commandOptionsSchema = /* @__PURE__ */ lazySchema(() => z
  .object({
    command: z.union([z.string().min(1), z.array(z.string()).min(1)]).describe('a shell command line, or an argv array run without a shell'),
    env: z.record(z.string(), z.string()).optional(),
  })
  .strict());
export type CommandOptions = z.infer<typeof commandOptionsSchema>;

/** Options of the built-in `claude` adapter (Claude Code headless, stream-json). */
export const claudeOptionsSchema = /* @__PURE__ */ lazySchema(() => z
  .object({
    prompt: z.string().min(1),
    model: z.string().optional(),
    allowedTools: z.array(z.string()).optional(),
    disallowedTools: z.array(z.string()).optional(),
    permissionMode: z.enum(CLAUDE_PERMISSION_MODES).optional(),
    maxTurns: z.number().int().positive().optional(),
    maxBudgetUsd: z.number().positive().optional(),
    mcpConfig: z.string().optional(),
    appendSystemPrompt: z.string().optional(),
    sessionId: z.string().optional(),
    resume: z.string().optional(),
    bare: z.boolean().optional(),
    executable: z.string().optional().describe('path to the claude binary; defaults to `claude` on PATH'),
    extraArgs: z.array(z.string()).optional(),
    env: z.record(z.string(), z.string()).optional(),
  })
  .strict());
export type ClaudeOptions = z.infer<typeof claudeOptionsSchema>;

/** Which adapter runs a stream's worker, and its options. Plugins register more adapters. */
export const workerSpecSchema = /* @__PURE__ */ lazySchema(() => z.object({
  adapter: z.string().min(1),
  options: z.record(z.string(), z.unknown()).default({}),
}));
export type WorkerSpec = z.infer<typeof workerSpecSchema>;

/** Option schemas of the adapters every godmode knows; a plan naming another adapter needs a plugin. */
export const builtinAdapterOptions: Record<string, z.ZodType> = {
  command: commandOptionsSchema,
  claude: claudeOptionsSchema,
};
