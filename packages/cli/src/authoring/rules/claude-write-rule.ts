import type { PlanProblem } from '../plan-problem.js';
import type { PlanRule } from './rule-context.js';

/** Claude Code tools that change files; a rule such as `Bash(npm test)` or `Edit(src/**)` counts too. */
const WRITE_TOOLS = ['Write', 'Edit', 'MultiEdit', 'NotebookEdit', 'Bash'];
/** Permission modes in which headless Claude Code writes without an allow rule (observed with 2.1.100). */
const WRITING_MODES = new Set(['acceptEdits', 'bypassPermissions']);

const toolName = (rule: string): string => rule.split('(')[0]?.trim() ?? rule;

/** Whether a `claude` worker with these options can change a file at all. */
export function claudeCanWrite(options: Record<string, unknown>): boolean {
  const denied = new Set((Array.isArray(options.disallowedTools) ? options.disallowedTools : []).filter((t): t is string => typeof t === 'string' && !t.includes('(')).map(toolName));
  if (typeof options.permissionMode === 'string' && WRITING_MODES.has(options.permissionMode)) {
    return WRITE_TOOLS.some((t) => !denied.has(t));
  }
  const allowed = (Array.isArray(options.allowedTools) ? options.allowedTools : []).filter((t): t is string => typeof t === 'string').map(toolName);
  return allowed.some((t) => WRITE_TOOLS.includes(t) && !denied.has(t));
}

/**
 * A headless Claude Code in the default (or plan) permission mode refuses every write it was not allowed
 * in advance; a stream expected to write files (it has deliverables or owns files) would ship nothing.
 */
export const claudeWriteRule: PlanRule = (context) => {
  const problems: PlanProblem[] = [];
  context.plan.phases.forEach((phase, p) =>
    phase.streams.forEach((stream, s) => {
      if (stream.worker.adapter !== 'claude') return;
      const writes = stream.deliverables.length > 0 || (stream.owns?.length ?? 0) > 0;
      if (!writes || claudeCanWrite(stream.worker.options)) return;
      const at = `phases[${p}].streams[${s}].worker.options`;
      problems.push({
        file: context.file,
        path: Array.isArray(stream.worker.options.allowedTools) ? `${at}.allowedTools` : at,
        message: `stream "${stream.id}" must write its deliverables, but its Claude Code has no way to write files (no Write, Edit or Bash in allowedTools, permissionMode ${String(stream.worker.options.permissionMode ?? 'default')})`,
        fix: `add "Write" and "Edit" (and "Bash" to run commands) to ${at}.allowedTools, or set ${at}.permissionMode: acceptEdits`,
      });
    }),
  );
  return problems;
};
