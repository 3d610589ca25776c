import type { Finding } from '@godmode/protocol';
import { CanaryMatcher, type CanaryHit } from '../canaries/find-canaries.js';
import { readSourceDocs, type SourceDocs } from '../documentation/source-docs.js';
import { maskToken, SECRET_RULES } from '../security/secret-rules.js';
import { MAX_SCAN_BYTES } from './read-text.js';
import { scanFiles } from './scan-parallel.js';
import { walkTree, type TreeFile } from './walk-tree.js';

/** Source files whose exports and commands are read for the documentation score. */
const SOURCE = /\.(ts|tsx|mts|cts)$/;
const NOT_SOURCE = /(\.d\.[mc]?ts$|\.(test|spec)\.[mc]?tsx?$|(^|\/)(__tests__|test|tests|fixtures|dist|build|coverage)\/)/;

/** At most this many source files are parsed; beyond it an even sample is, and the evidence says so. */
export const DEFAULT_MAX_SOURCE_FILES = 1000;

export interface TreeScan {
  root: string;
  files: TreeFile[];
  bytes: number;
  /** Files read only in part because of their size. */
  truncated: string[];
  secrets: Finding[];
  canaryHits: Array<CanaryHit & { file: string }>;
  migrations: Array<{ rel: string; text: string }>;
  sources: { candidates: number; parsed: number; docs: Array<SourceDocs & { rel: string }>; failed: string[] };
  /** Threads that read the files (2 for big trees). */
  threads: number;
}

const SECRET_SOURCE = SECRET_RULES.map((r) => `(${r.source})`).join('|');
const SECRET_PREFIXES = ['sb_secret_', 'sbp_', 'gmmcp_', 'eyJ', '-----BEGIN'];

/**
 * One read of every file of a tree, feeding every grader that needs file contents: secrets, canaries,
 * SQL migrations and TypeScript sources. Reading each file once (two threads at a time for big trees)
 * is what keeps a 50,000-file tree inside the scoring budget.
 */
export async function scanTree(
  root: string,
  options: { canaries?: readonly string[]; ignore?: (rel: string) => boolean; maxSourceFiles?: number; secrets?: boolean; migrations?: boolean } = {},
): Promise<TreeScan> {
  const files = walkTree(root, options.ignore ? { skip: (rel) => options.ignore!(rel) } : {});
  const matcher = options.canaries && options.canaries.length > 0 ? new CanaryMatcher(options.canaries) : null;
  const sourceCandidates = files.filter((f) => SOURCE.test(f.rel) && !NOT_SOURCE.test(f.rel));
  const max = options.maxSourceFiles ?? DEFAULT_MAX_SOURCE_FILES;
  const stride = sourceCandidates.length > max ? sourceCandidates.length / max : 1;
  const toParse = new Set<string>();
  for (let i = 0; i < sourceCandidates.length && toParse.size < max; i++) toParse.add(sourceCandidates[Math.floor(i * stride)]!.rel);

  const chunk = await scanFiles({
    files: files.map((f) => [f.abs, f.rel]),
    secretSource: options.secrets === false ? '(?!)' : SECRET_SOURCE,
    secretPrefixes: options.secrets === false ? [] : SECRET_PREFIXES,
    canarySource: matcher?.source ?? null,
    keep: [...toParse],
    keepSql: options.migrations !== false,
    maxBytes: MAX_SCAN_BYTES,
  });

  const byFile = (a: [string, ...unknown[]], b: [string, ...unknown[]]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  const secrets: Finding[] = [];
  for (const [rel, index, token, line] of chunk.secrets.sort(byFile)) {
    const rule = SECRET_RULES[index];
    const severity = rule?.severity(token) ?? null;
    if (!rule || severity === null) continue;
    secrets.push({ severity, rule: rule.rule, file: rel, line, message: `${rule.label} in the tree: ${maskToken(token)}` });
  }
  const canaryHits: TreeScan['canaryHits'] = [];
  if (matcher) {
    const perFile = new Map<string, string[]>();
    for (const [rel, text] of chunk.canaries) perFile.set(rel, [...(perFile.get(rel) ?? []), text]);
    for (const rel of [...perFile.keys()].sort()) for (const hit of matcher.resolve(perFile.get(rel)!)) canaryHits.push({ ...hit, file: rel });
  }
  const texts = chunk.texts.sort(byFile);
  const docs: TreeScan['sources']['docs'] = [];
  const failed: string[] = [];
  for (const [rel, text] of texts) {
    if (!toParse.has(rel)) continue;
    try {
      // Sources are UTF-8; decode so that positions and comments are what the compiler sees.
      docs.push({ rel, ...readSourceDocs(rel, Buffer.from(text, 'latin1').toString('utf8')) });
    } catch {
      failed.push(rel);
    }
  }
  return {
    root,
    files,
    bytes: chunk.bytes,
    truncated: chunk.truncated.sort(),
    secrets,
    canaryHits,
    migrations: options.migrations === false ? [] : texts.filter(([rel]) => rel.endsWith('.sql')).map(([rel, text]) => ({ rel, text })),
    sources: { candidates: sourceCandidates.length, parsed: docs.length, docs, failed },
    threads: chunk.threads,
  };
}
