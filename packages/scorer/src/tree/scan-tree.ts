import type { Finding } from '@godmode/protocol';
import { CanaryMatcher, type CanaryHit } from '../canaries/find-canaries.js';
import { readSourceDocs, type SourceDocs } from '../documentation/source-docs.js';
import { maskToken, SECRET_RULES } from '../security/secret-rules.js';
import { lineAt, readLatin1 } from './read-text.js';
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
}

const SECRET_PATTERN = new RegExp(SECRET_RULES.map((r) => `(${r.source})`).join('|'), 'g');
const SECRET_PREFIXES = ['sb_secret_', 'sbp_', 'gmmcp_', 'eyJ', '-----BEGIN'];

function scanSecrets(rel: string, text: string, out: Finding[]): void {
  if (!SECRET_PREFIXES.some((p) => text.includes(p))) return; // cheap reject for almost every file
  SECRET_PATTERN.lastIndex = 0;
  for (let m = SECRET_PATTERN.exec(text); m !== null; m = SECRET_PATTERN.exec(text)) {
    const index = m.slice(1).findIndex((g) => g !== undefined);
    const rule = SECRET_RULES[index];
    if (!rule) continue;
    const severity = rule.severity(m[0]);
    if (severity === null) continue;
    out.push({
      severity,
      rule: rule.rule,
      file: rel,
      line: lineAt(text, m.index),
      message: `${rule.label} in the tree: ${maskToken(m[0])}`,
    });
  }
}

/**
 * One read of every file of a tree, feeding every grader that needs file contents: secrets, canaries,
 * SQL migrations and TypeScript sources. Reading each file once is what keeps a 50,000-file tree
 * inside the scoring budget.
 */
export function scanTree(
  root: string,
  options: { canaries?: readonly string[]; ignore?: (rel: string) => boolean; maxSourceFiles?: number; secrets?: boolean; migrations?: boolean } = {},
): TreeScan {
  const files = walkTree(root, options.ignore ? { skip: (rel) => options.ignore!(rel) } : {});
  const matcher = options.canaries && options.canaries.length > 0 ? new CanaryMatcher(options.canaries) : null;
  const sourceCandidates = files.filter((f) => SOURCE.test(f.rel) && !NOT_SOURCE.test(f.rel));
  const max = options.maxSourceFiles ?? DEFAULT_MAX_SOURCE_FILES;
  const stride = sourceCandidates.length > max ? sourceCandidates.length / max : 1;
  const toParse = new Set<string>();
  for (let i = 0; i < sourceCandidates.length && toParse.size < max; i++) toParse.add(sourceCandidates[Math.floor(i * stride)]!.rel);

  const scan: TreeScan = {
    root,
    files,
    bytes: 0,
    truncated: [],
    secrets: [],
    canaryHits: [],
    migrations: [],
    sources: { candidates: sourceCandidates.length, parsed: 0, docs: [], failed: [] },
  };
  for (const file of files) {
    const read = readLatin1(file.abs);
    if (!read) continue;
    scan.bytes += read.text.length;
    if (read.truncated) scan.truncated.push(file.rel);
    if (options.secrets !== false) scanSecrets(file.rel, read.text, scan.secrets);
    if (matcher) for (const hit of matcher.scan(read.text)) scan.canaryHits.push({ ...hit, file: file.rel });
    if (options.migrations !== false && file.rel.endsWith('.sql')) scan.migrations.push({ rel: file.rel, text: read.text });
    if (toParse.has(file.rel)) {
      try {
        // Sources are UTF-8; decode so that positions and comments are what the compiler sees.
        const text = Buffer.from(read.text, 'latin1').toString('utf8');
        scan.sources.docs.push({ rel: file.rel, ...readSourceDocs(file.rel, text) });
        scan.sources.parsed++;
      } catch {
        scan.sources.failed.push(file.rel);
      }
    }
  }
  return scan;
}
