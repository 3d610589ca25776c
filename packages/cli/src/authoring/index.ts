export { detectRepoCommands, makeTargets, nodePackageManager, type DetectedCommand, type RepoCommands } from './detect-commands.js';
export { globSamples, globsOverlap, literalPrefix } from './glob-overlap.js';
export { commandNames, findProgram } from './command-names.js';
export { formatProblem, pathSegments, type PlanProblem } from './plan-problem.js';
export { closest, keysAt, schemaProblems } from './schema-problems.js';
export { claudeCanWrite } from './rules/claude-write-rule.js';
export { PLAN_RULES, validatePlanFile, validatePlanText, type PlanValidation, type ValidatePlanOptions } from './validate-plan.js';
export type { PlanRule, RuleContext } from './rules/rule-context.js';
