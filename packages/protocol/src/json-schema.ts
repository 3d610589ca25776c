import { z } from 'zod';
import { claimSchema } from './claim.js';
import { cliEventSchema } from './cli-event.js';
import { planSchema } from './plan/plan.js';

/** JSON Schema of a plan as written by a person, for editors and non-TypeScript tools. */
export function planJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(planSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

/** JSON Schema of `result.json`, for workers written in any language. */
export function claimJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(claimSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

/** JSON Schema of one line of `orchestra run|watch|takeover|demo --json` (NDJSON). */
export function cliEventJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(cliEventSchema, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
}
