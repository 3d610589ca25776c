import type { Stream } from '@godmode/protocol';
import type { PlanValidation, ValidatePlanOptions } from './validate-plan.js';

// The package barrel's entry points to plan authoring, loaded on first use: every CLI start imports the
// barrel, and only the commands that validate a plan should pay for the validator's modules.

/** See `validatePlanFile` in ./validate-plan.ts: schema, then every rule beyond it; problems with file, path, line, fix. */
export async function validatePlanFile(path: string, options: ValidatePlanOptions = {}): Promise<PlanValidation> {
  return (await import('./validate-plan.js')).validatePlanFile(path, options);
}

/** See `validatePlanText` in ./validate-plan.ts. */
export async function validatePlanText(text: string, file: string, options: ValidatePlanOptions = {}): Promise<PlanValidation> {
  return (await import('./validate-plan.js')).validatePlanText(text, file, options);
}

/** See `filesOutsideOwns` in ./owned-files.ts: changed files outside what a stream owns (evidence, not a verdict). */
export async function filesOutsideOwns(stream: Pick<Stream, 'owns' | 'deliverables'>, changedFiles: readonly string[]): Promise<string[]> {
  return (await import('./owned-files.js')).filesOutsideOwns(stream, changedFiles);
}
