import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { PlanError, type PlanIssue } from '../errors/plan-error.js';
import { builtinAdapterOptions } from '../worker-spec.js';
import { planSchema, type Plan } from './plan.js';

export interface ParsePlanOptions {
  /** Adapter names a plan may use, with their option schemas when known. Defaults to the built-in ones. */
  adapters?: Record<string, z.ZodType | undefined>;
}

/**
 * The largest plan godmode reads (bytes of text): a plan is a page of YAML, and a 47 MB one took 16 s and
 * 3 GB to reject. Larger text is refused before it is parsed.
 */
export const PLAN_MAX_BYTES = 1024 * 1024;

/** `phases[0].streams[2].id` from a zod/yaml path. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/**
 * Parses a plan into a validated plan: its text (YAML, of which JSON is a subset), or an object already parsed
 * (from JSON.parse, say). Pure: the caller reads the file; `file` only names it in errors.
 */
export function parsePlan(input: string | object, file = '<plan>', options: ParsePlanOptions = {}): Plan {
  if (typeof input !== 'string') {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      throw new PlanError({ file, issues: [{ path: '', message: `expected the plan's text or a mapping with "name" and "phases", got ${input === null ? 'null' : Array.isArray(input) ? 'an array' : typeof input}` }] });
    }
    return validatePlan(input, file, options);
  }
  const text = input;
  if (text.length > PLAN_MAX_BYTES || Buffer.byteLength(text, 'utf8') > PLAN_MAX_BYTES) {
    throw new PlanError({ file, issues: [{ path: '', message: `the plan is larger than 1 MiB (${Buffer.byteLength(text, 'utf8')} bytes); a plan is a page of YAML — move prompts into files the workers read` }] });
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new PlanError({
      file,
      issues: doc.errors.map((e) => ({
        path: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '',
        message: e.message.split('\n')[0] ?? e.message,
      })),
    });
  }
  let raw: unknown;
  try {
    // yaml refuses aliases that expand past its limit (a "billion laughs" bomb) with a ReferenceError.
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new PlanError({
      file,
      issues: [{ path: '', message: `its YAML aliases (*name) expand too much: ${(error as Error).message.toLowerCase()}; write the values out, or use fewer aliases` }],
      cause: error,
    });
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new PlanError({ file, issues: [{ path: '', message: 'expected a mapping with "name" and "phases"' }] });
  }
  return validatePlan(raw, file, options);
}

function validatePlan(raw: object, file: string, options: ParsePlanOptions): Plan {
  const result = planSchema.safeParse(raw);
  if (!result.success) {
    throw new PlanError({
      file,
      issues: result.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
    });
  }

  const adapters = options.adapters ?? builtinAdapterOptions;
  const issues: PlanIssue[] = [];
  result.data.phases.forEach((phase, p) =>
    phase.streams.forEach((stream, s) => {
      const at = ['phases', p, 'streams', s, 'worker'] as const;
      const name = stream.worker.adapter;
      if (!(name in adapters)) {
        issues.push({
          path: formatPath([...at, 'adapter']),
          message: `unknown adapter "${name}"; known adapters: ${Object.keys(adapters).join(', ')} (plugins can add more)`,
        });
        return;
      }
      const schema = adapters[name];
      if (!schema) return;
      const parsed = schema.safeParse(stream.worker.options);
      if (!parsed.success) {
        for (const i of parsed.error.issues) {
          issues.push({ path: formatPath([...at, 'options', ...i.path]), message: i.message });
        }
      } else {
        stream.worker.options = parsed.data as Record<string, unknown>;
      }
    }),
  );
  if (issues.length > 0) throw new PlanError({ file, issues });
  return result.data;
}
