import { parsePlan, PlanError, planSchema, type ParsePlanOptions, type Plan, type PlanIssue } from '@godmode/protocol';
import { pathSegments, type PlanProblem } from './plan-problem.js';

/**
 * The schema's verdict on a plan text, as problems with a fix each: the plan when it parses, else what is wrong.
 */
export function schemaProblems(text: string, file: string, options: ParsePlanOptions): { plan: Plan | undefined; problems: PlanProblem[]; unknownFields: string[] } {
  try {
    return { plan: parsePlan(text, file, options), problems: [], unknownFields: [] };
  } catch (error) {
    if (!PlanError.isInstance(error)) throw error;
    const known = Object.keys(options.adapters ?? {});
    const problems = error.issues.flatMap((issue) => toProblems(issue, file, known));
    const unknownFields = problems.filter((p) => p.message.startsWith('unknown field "')).map((p) => p.path);
    return { plan: undefined, problems, unknownFields };
  }
}

/**
 * The plan as it would be without its unknown fields, when that is all that is wrong with it: so the checks
 * beyond the schema still run and every problem is reported at once, not one kind per round.
 */
export function planWithoutUnknownFields(raw: unknown, unknownFields: string[], file: string, options: ParsePlanOptions): Plan | undefined {
  if (unknownFields.length === 0 || raw === null || typeof raw !== 'object') return undefined;
  const copy = structuredClone(raw) as Record<string | number, unknown>;
  for (const path of unknownFields) {
    const segments = pathSegments(path);
    const key = segments.pop();
    let at: unknown = copy;
    for (const segment of segments) at = at !== null && typeof at === 'object' ? (at as Record<string | number, unknown>)[segment] : undefined;
    if (at !== null && typeof at === 'object' && key !== undefined) delete (at as Record<string | number, unknown>)[key];
  }
  try {
    return parsePlan(JSON.stringify(copy), file, options);
  } catch {
    return undefined;
  }
}

function toProblems(issue: PlanIssue, file: string, adapters: string[]): PlanProblem[] {
  const unknownKeys = /^Unrecognized keys?: (.*)$/.exec(issue.message);
  if (unknownKeys) {
    const keys = [...(unknownKeys[1] ?? '').matchAll(/"([^"]*)"/g)].map((m) => m[1] as string);
    const allowed = keysAt(issue.path);
    return keys.map((key) => {
      const near = allowed ? closest(key, allowed) : undefined;
      return {
        file,
        path: issue.path ? `${issue.path}.${key}` : key,
        message: `unknown field "${key}"`,
        fix: `${near ? `rename it to "${near}" or remove it` : 'remove it'}${allowed ? `; fields allowed here: ${allowed.join(', ')}` : ''}`,
      };
    });
  }
  if (/^line \d+/.test(issue.path)) {
    return [{ file, path: '', line: Number(/^line (\d+)/.exec(issue.path)?.[1]), message: `not valid YAML: ${issue.message}`, fix: `correct the YAML syntax at ${issue.path}` }];
  }
  const adapter = /^unknown adapter "([^"]*)"/.exec(issue.message);
  if (adapter) {
    return [
      {
        file,
        path: issue.path,
        message: `no installed plugin provides the adapter "${adapter[1]}"`,
        fix: `use one of the adapters available here (${adapters.join(', ') || 'command, claude'}), or install the plugin that provides "${adapter[1]}" (godmode plugins install <plugin>)`,
      },
    ];
  }
  if (/^duplicate (stream|phase) id/.test(issue.message)) {
    return [{ file, path: issue.path, message: issue.message, fix: 'give it an id no other stream or phase of this plan uses' }];
  }
  const missing = /received undefined/.test(issue.message);
  const last = pathSegments(issue.path).at(-1);
  return [
    {
      file,
      path: issue.path,
      message: missing ? `"${String(last)}" is required` : issue.message,
      fix: missing
        ? `add "${String(last)}" here`
        : `change the value at ${issue.path || 'the top of the file'} (${issue.message.replace(/^Invalid input: /, '')}); the plan's JSON Schema is in @godmode/protocol/schemas/plan.schema.json`,
    },
  ];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- zod's internal definition, walked read-only
type AnySchema = { def?: Record<string, any> };

/** The field names the plan schema allows at a path (an object's keys), when the path leads to an object. */
export function keysAt(path: string): string[] | undefined {
  let schema: AnySchema | undefined = unwrap(planSchema as unknown as AnySchema);
  for (const segment of pathSegments(path)) {
    if (!schema) return undefined;
    const type = schema.def?.type;
    if (typeof segment === 'number' && type === 'array') schema = unwrap(schema.def?.element);
    else if (typeof segment === 'string' && type === 'object') schema = unwrap(schema.def?.shape?.[segment]);
    else return undefined;
  }
  return schema?.def?.type === 'object' ? Object.keys(schema.def.shape ?? {}) : undefined;
}

function unwrap(schema: AnySchema | undefined): AnySchema | undefined {
  for (let i = 0; schema && i < 20; i++) {
    const type = schema.def?.type;
    if (type === 'object' || type === 'array') return schema;
    if (type === 'pipe') {
      const inner = unwrap(schema.def?.in);
      if (inner) return inner;
      schema = schema.def?.out;
    } else if (schema.def?.innerType) schema = schema.def.innerType;
    else return undefined;
  }
  return undefined;
}

/** The allowed name nearest a misspelt one (edit distance ≤ a third of its length), if any. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] as number;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] as number;
}
