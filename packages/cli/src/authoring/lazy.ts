import type { Stream } from '@godmode/protocol';
import { resolve } from 'node:path';
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

/**
 * What `orchestra run` calls before it starts anything: the same validation as `orchestra validate`, but for the
 * rules the conductor checks itself with a more precise message (`RUN_PLAN_RULES`, unless `rules` says otherwise);
 * throws PlanProblemsError (exit 2, every problem with its fix) when there is one. `file` is shown as given and
 * read from `at` when given, else from `file` relative to `cwd`.
 */
export async function requireValidPlan(file: string, options: ValidatePlanOptions & { at?: string } = {}): Promise<PlanValidation> {
  const [{ validatePlanFile: validate, RUN_PLAN_RULES }, { PlanProblemsError }] = await Promise.all([import('./validate-plan.js'), import('./errors/plan-problems-error.js')]);
  const { at, ...rest } = options;
  const validation = await validate(at ?? resolve(options.cwd ?? process.cwd(), file), { rules: RUN_PLAN_RULES, ...rest });
  if (validation.problems.length > 0) throw new PlanProblemsError({ file, problems: validation.problems.map((p) => ({ ...p, file })) });
  return validation;
}
