export { COMMANDS } from './commands.js';
export { GodmodeCommand, type GodmodeFlags } from './base-command.js';
export { ExitCode } from './exit-codes.js';
export { colorEnabled, paint, type Color } from './render/color.js';
export { renderTable } from './render/table.js';
export { renderRunEvent } from './render/run-event.js';
export { provideServices, services, type RunOutcome, type RunRequest, type Services } from './services.js';
export { filesOutsideOwns, requireValidPlan, validatePlanFile, validatePlanText } from './authoring/lazy.js';
export type { PlanProblem, PlanValidation, ValidatePlanOptions } from './authoring/index.js';
