import { dirname, resolve } from 'node:path';
import { runClaudeTurn } from '../claude/session.js';
import { ClaudeRunError } from '../claude/errors/claude-run-error.js';
import { DRAFT_DENIED_TOOLS, DRAFT_TOOLS, draftFileText, firstDraftPrompt, fixDraftPrompt, splitDraft } from './draft-prompt.js';
import { PlanDraftError } from './errors/plan-draft-error.js';
import type { PlanProblem } from './plan-problem.js';
import { validatePlanText, type PlanValidation, type ValidatePlanOptions } from './validate-plan.js';

export const MAX_DRAFT_ROUNDS = 3;

export interface DraftPlanRequest {
  goal: string;
  streams: number;
  /** The repository Claude Code reads (its working directory). */
  cwd: string;
  /** Where the plan will be written: names it in problems; its folder is the plan's folder. */
  outFile: string;
  binary: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  model?: string;
  maxRounds?: number;
  validation?: ValidatePlanOptions;
  /** Told after each validated draft (round from 1). */
  onRound?: (round: number, problems: PlanProblem[]) => void;
}

export interface DraftPlanResult {
  /** The file's text: the goal and reasoning as comments, then the plan. */
  text: string;
  rounds: number;
  validation: PlanValidation;
  reasoning: string;
}

/**
 * Asks Claude Code (headless, read-only tools, in the repository) for a plan; validates each draft with the
 * same code as `orchestra validate`; sends the problems back (same session) up to `maxRounds` drafts in all.
 * Returns the valid draft's file text — the caller writes it — or throws PlanDraftError with the last problems.
 */
export async function draftPlan(request: DraftPlanRequest): Promise<DraftPlanResult> {
  const maxRounds = request.maxRounds ?? MAX_DRAFT_ROUNDS;
  const outFile = resolve(request.outFile);
  let sessionId: string | undefined;
  let problems: PlanProblem[] = [];
  for (let round = 1; round <= maxRounds; round++) {
    const outcome = await runClaudeTurn({
      prompt: round === 1 ? firstDraftPrompt(request.goal, request.streams) : fixDraftPrompt(problems),
      binary: request.binary,
      cwd: request.cwd,
      env: request.env ?? process.env,
      allowedTools: DRAFT_TOOLS,
      extraArgs: ['--disallowedTools', DRAFT_DENIED_TOOLS.join(',')],
      maxTurns: 40,
      ...(request.model ? { model: request.model } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
      ...(sessionId ? { resume: sessionId } : {}),
    });
    if (outcome.interrupted && !outcome.result) throw new ClaudeRunError({ message: 'Interrupted while Claude Code was drafting the plan; nothing was written.' });
    if (!outcome.result || outcome.result.is_error) {
      throw new ClaudeRunError({ message: `Claude Code could not draft the plan: ${outcome.result?.result ?? `it ended with ${outcome.result?.subtype ?? 'no result'}`}` });
    }
    sessionId = outcome.sessionId ?? sessionId;
    const { yaml, reasoning } = splitDraft(outcome.result.result ?? '');
    if (yaml === undefined) {
      problems = [{ file: request.outFile, path: '', message: 'the answer held no plan in a ```yaml fenced block', fix: 'answer with the complete plan in one ```yaml fenced block' }];
    } else {
      const text = draftFileText(request.goal, reasoning, yaml);
      const validation = await validatePlanText(text, request.outFile, { planDir: dirname(outFile), ...request.validation });
      problems = validation.problems;
      request.onRound?.(round, problems);
      if (problems.length === 0) return { text, rounds: round, validation, reasoning };
      continue;
    }
    request.onRound?.(round, problems);
  }
  throw new PlanDraftError({ rounds: maxRounds, problems });
}
