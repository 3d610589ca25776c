import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parsePlan, type ParsePlanOptions, type Plan } from '@godmode/protocol';
import { PlanFileError } from './errors/plan-file-error.js';

/** Reads and validates a plan file (YAML or JSON). `dir` is where the plan's relative paths start. */
export async function loadPlanFile(file: string, options: ParsePlanOptions = {}): Promise<{ plan: Plan; dir: string; file: string }> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new PlanFileError({ file, code: 'PLAN_NOT_FOUND', reason: 'no such file', cause: error });
    const reason = code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : String((error as Error).message);
    throw new PlanFileError({ file, code: 'PLAN_UNREADABLE', reason, cause: error });
  }
  return { plan: parsePlan(text, file, options), dir: path.dirname(absolute), file: absolute };
}
