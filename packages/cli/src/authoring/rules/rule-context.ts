import type { Plan } from '@godmode/protocol';
import type { PlanProblem } from '../plan-problem.js';

/** What a rule beyond the schema sees: the parsed plan, its raw document, and the machine it will run on. */
export interface RuleContext {
  file: string;
  plan: Plan;
  /** The document as written (fields the schema of this godmode may not know yet, e.g. `setup`, `repo`). */
  raw: Record<string, unknown>;
  /** The folder the plan's relative paths start from. */
  planDir: string;
  /** The repository the streams' work trees are cut from (the plan's `repo:`, else the plan's folder). */
  repoDir: string;
  /** PATH and friends, for finding commands. */
  env: NodeJS.ProcessEnv;
  /** The repository's files, relative (for testing whether globs overlap on real names). */
  existingFiles(): Promise<string[]>;
}

export type PlanRule = (context: RuleContext) => PlanProblem[] | Promise<PlanProblem[]>;
