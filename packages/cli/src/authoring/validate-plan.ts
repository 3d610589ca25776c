import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { execa } from 'execa';
import { PLAN_MAX_BYTES, type ParsePlanOptions, type Plan } from '@godmode/protocol';
import { adapterOptionSchemas } from '@godmode/supervisor';
import { glob } from 'tinyglobby';
import type { PlanProblem } from './plan-problem.js';
import { claudeWriteRule } from './rules/claude-write-rule.js';
import { commandRule, commandRuleWithoutSetup } from './rules/command-rule.js';
import { overlapRule } from './rules/overlap-rule.js';
import { repoRule } from './rules/repo-rule.js';
import type { PlanRule, RuleContext } from './rules/rule-context.js';
import { timeoutRule } from './rules/timeout-rule.js';
import { planWithoutUnknownFields, schemaProblems } from './schema-problems.js';
import { locateDocument } from './yaml-locate.js';

export interface ValidatePlanOptions {
  /** Adapters a plan may name (default: the supervisor's registry — the built-ins and every plugin's). */
  adapters?: ParsePlanOptions['adapters'];
  /** The environment the run will have (default `process.env`): PATH decides which commands exist. */
  env?: NodeJS.ProcessEnv;
  /** Folder the plan's relative paths start from (default: the plan file's folder). */
  planDir?: string;
  /** Where the run would be started: its repository is the default `repo:` (default: the plan's folder). */
  cwd?: string;
  /** The rules beyond the schema (default: `PLAN_RULES`, all of them; `orchestra run` uses `RUN_PLAN_RULES`). */
  rules?: readonly PlanRule[];
}

export interface PlanValidation {
  file: string;
  /** The plan, when the schema accepted it (even if rules beyond the schema found problems). */
  plan: Plan | undefined;
  /** The repository the run would use. */
  repoDir: string;
  problems: PlanProblem[];
}

/** Every check beyond the schema, in the order their problems are listed. */
export const PLAN_RULES: readonly PlanRule[] = [overlapRule, commandRule, claudeWriteRule, repoRule, timeoutRule];

/**
 * What `orchestra run` checks before anything exists: every rule but the two the conductor checks itself, at
 * the same moment (before the run exists, or in the stream's work tree), with a more precise message — a
 * `repo:` that is not a repository (the conductor names the folder and what git said) and the plan's `setup`
 * (run in each work tree, its failure reported with its output, or its timeout with the work tree and stream).
 */
export const RUN_PLAN_RULES: readonly PlanRule[] = [overlapRule, commandRuleWithoutSetup, claudeWriteRule, timeoutRule];

/**
 * Validates a plan's text: the schema first (with a fix per issue), then what the schema cannot see
 * (overlapping streams, commands not on PATH, Claude Code that cannot write, a `repo:` that is not a
 * repository, contradicting timeouts). Reads the disk, never writes it. Problems carry file, path, line, fix.
 */
export async function validatePlanText(text: string, file: string, options: ValidatePlanOptions = {}): Promise<PlanValidation> {
  const planDir = options.planDir ?? dirname(resolve(file));
  const located = locateDocument(text);
  const raw = located.doc.errors.length === 0 ? (located.doc.toJS() as unknown) : undefined;
  const rawPlan = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  // The plan's `repo:` (relative to the plan), else the repository the run is started in; `repo: false` is plain folders.
  const startDir = options.cwd ?? planDir;
  const repoDir =
    typeof rawPlan.repo === 'string' && rawPlan.repo.trim() !== '' ? resolve(planDir, rawPlan.repo) : rawPlan.repo === false ? startDir : ((await gitTopLevel(startDir)) ?? startDir);
  const adapters = options.adapters ?? adapterOptionSchemas();
  const schema = schemaProblems(text, file, { adapters });
  const { plan, problems } = schema;
  const checked = plan ?? planWithoutUnknownFields(raw, schema.unknownFields, file, { adapters });
  if (checked) {
    let files: Promise<string[]> | undefined;
    const context: RuleContext = {
      file,
      plan: checked,
      raw: rawPlan,
      planDir,
      repoDir,
      env: options.env ?? process.env,
      existingFiles: () => (files ??= listFiles(repoDir)),
    };
    for (const rule of options.rules ?? PLAN_RULES) problems.push(...(await rule(context)));
  }
  for (const problem of problems) {
    if (problem.line === undefined && problem.path) {
      const line = located.lineOf(problem.path);
      if (line !== undefined) problem.line = line;
    }
  }
  return { file, plan, repoDir, problems };
}

/** Reads a plan file and validates it (see `validatePlanText`); a file that cannot be read is a problem too. */
export async function validatePlanFile(path: string, options: ValidatePlanOptions = {}): Promise<PlanValidation> {
  let text: string;
  try {
    // Only a regular file of at most 1 MiB is read (a FIFO would block forever, a huge file would not be a plan).
    const stats = await stat(path);
    if (!stats.isFile() && !stats.isDirectory()) throw Object.assign(new Error('it is not a regular file'), { code: 'ENOTREG' });
    if (stats.size > PLAN_MAX_BYTES) throw Object.assign(new Error(`it is larger than 1 MiB (${stats.size} bytes)`), { code: 'EFBIG' });
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : String((error as Error).message);
    return {
      file: path,
      plan: undefined,
      repoDir: options.planDir ?? dirname(resolve(path)),
      problems: [{ file: path, path: '', message: `cannot read the plan: ${reason}`, fix: 'name an existing plan file (godmode orchestra init writes one)' }],
    };
  }
  return validatePlanText(text, path, options);
}

async function gitTopLevel(dir: string): Promise<string | undefined> {
  const result = await execa('git', ['rev-parse', '--show-toplevel'], { cwd: dir, reject: false, env: { GIT_OPTIONAL_LOCKS: '0' } }).catch(() => undefined);
  return result?.exitCode === 0 ? String(result.stdout).trim() : undefined;
}

const MAX_FILES = 50_000;

/** The repository's files (tracked and untracked-not-ignored in git; else a folder walk without node_modules). */
async function listFiles(dir: string): Promise<string[]> {
  const git = await execa('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: dir, reject: false, env: { GIT_OPTIONAL_LOCKS: '0' }, maxBuffer: 64 * 1024 * 1024 }).catch(() => undefined);
  if (git?.exitCode === 0) return String(git.stdout).split('\0').filter(Boolean).slice(0, MAX_FILES);
  const files = await glob('**', { cwd: dir, dot: true, ignore: ['**/node_modules/**', '**/.git/**'], onlyFiles: true }).catch(() => []);
  return files.slice(0, MAX_FILES);
}
