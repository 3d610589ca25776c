/** One thing wrong with a plan: where (file, path inside it, line when known), what, and what to change. */
export interface PlanProblem {
  file: string;
  /** Path inside the plan, e.g. `phases[1].streams[0].owns[2]`; empty for the whole file. */
  path: string;
  /** 1-based line of that place in the file, when the file could be parsed. */
  line?: number;
  message: string;
  fix: string;
}

/** Splits `phases[1].streams[0].owns` into `['phases', 1, 'streams', 0, 'owns']`. */
export function pathSegments(path: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : (m[1] as string));
  return out;
}

/** `file:line path: message` then the fix, indented: how problems read in a terminal. */
export function formatProblem(problem: PlanProblem): string {
  const where = `${problem.file}${problem.line !== undefined ? `:${problem.line}` : ''}${problem.path ? ` ${problem.path}` : ''}`;
  return `${where}: ${problem.message}\n    fix: ${problem.fix}`;
}
