import { realpath, stat } from 'node:fs/promises';
import type { Deliverable, DeliverableEvidence, Stream, Verdict, VerdictStatus } from '@godmode/protocol';
import { readClaimSource, type ClaimSource } from './claim/read-claim-file.js';
import { compareClaim, describeDisk, verdictSentence } from './divergence.js';
import { deliverableEvidence } from './evidence/deliverables.js';
import { gitEvidence } from './evidence/git-evidence.js';
import type { HashCache } from './evidence/hash-cache.js';
import { checkPassed, runCheck } from './evidence/run-check.js';
import { treeHasContent } from './evidence/tree-has-content.js';

export interface ReconcileInput {
  /** The stream as the plan has it: id, deliverables, optional check. */
  stream: Pick<Stream, 'id' | 'deliverables'> & { check?: Stream['check'] | string };
  /** Absolute path of the stream's work tree. */
  workTree: string;
  /** The worker's claim (`result.json`): a path, its content, or nothing. Testimony only. */
  claim?: ClaimSource;
  attempt?: number | null;
  /** Reuses file hashes across reconciles when (size, mtimeMs, inode) are unchanged. */
  cache?: HashCache;
  /** Run the stream's check command (default: yes, when it has one). */
  runCheck?: boolean;
  /** Collect git evidence when the work tree is a git work tree (default: yes). */
  git?: boolean;
  /** A recorded base commit for git evidence (else the merge-base with main/master, else the root commit). */
  gitBase?: string | null;
  /** What git's uncommitted-changes count covers (see `GitEvidenceOptions.scope`; default: the deliverables). */
  gitScope?: 'deliverables' | 'tree';
  now?: () => Date;
}

/** The folder part of a glob before its first wildcard (e.g. `src/lib` for a glob of `.ts` files under src/lib); `.` for the whole tree. */
export function staticFolder(glob: string): string {
  const parts = glob.split('/');
  const fixed: string[] = [];
  for (const part of parts.slice(0, -1)) {
    if (/[*?[\]{}()!+@]/.test(part)) break;
    fixed.push(part);
  }
  return fixed.length ? fixed.join('/') : '.';
}

function normaliseDeliverable(d: unknown): Deliverable | null {
  if (typeof d === 'string') return { path: d };
  if (d && typeof d === 'object') {
    const o = d as Record<string, unknown>;
    if (typeof o.path === 'string') return { path: o.path };
    if (typeof o.glob === 'string') return { glob: o.glob, min: typeof o.min === 'number' && o.min > 0 ? Math.floor(o.min) : 1 };
  }
  return null;
}

/**
 * What the disk shows for one stream: every deliverable looked up with evidence, the check run, git
 * evidence read — then the claim compared, never believed. Never throws on anything a worker could
 * leave behind (a missing tree, odd files, a garbage claim, a hanging check).
 *
 * Status: `shipped` when every deliverable counts and the check (if any) passes; `partial` when at least
 * one file counts but not everything does, or everything does and the check fails; `missing` when no
 * file counts. A stream with no deliverables is judged by its work tree: it counts as its one deliverable
 * when the tree holds any file that would count (see `treeHasContent`).
 */
export async function reconcile(input: ReconcileInput): Promise<Verdict> {
  const realRoot = await realpath(input.workTree)
    .then(async (r) => ((await stat(r)).isDirectory() ? r : null))
    .catch(() => null);
  const listed = Array.isArray(input.stream.deliverables) ? input.stream.deliverables : [];
  const check = typeof input.stream.check === 'string' ? { command: input.stream.check, timeoutMs: 120_000 } : input.stream.check;

  const normalised = listed.map(normaliseDeliverable);
  const valid = normalised.filter((d): d is Deliverable => d !== null);
  const blobs = new Map<string, string>();
  const dirs = new Map<string, Promise<string | null>>();
  const looked = Promise.all(
    listed.map((raw, i): Promise<DeliverableEvidence> => {
      const d = normalised[i];
      return d
        ? deliverableEvidence(realRoot, d, input.cache, blobs, dirs)
        : Promise.resolve({ deliverable: JSON.stringify(raw) ?? String(raw), ok: false, files: [], reasons: ['not a valid deliverable'] });
    }),
  );
  const [evidence, git, claim] = await Promise.all([
    looked,
    realRoot !== null && input.git !== false
      ? gitEvidence(realRoot, {
          base: input.gitBase ?? null,
          scope: input.gitScope ?? (valid.length > 0 ? 'deliverables' : 'tree'),
          blobs: looked.then(() => blobs),
          where: valid.map((d) => ('glob' in d ? staticFolder(d.glob) : d.path)),
          ...(input.cache ? { cache: input.cache } : {}),
        }).catch(() => null)
      : Promise.resolve(null),
    readClaimSource(input.claim),
  ]);

  const checkEvidence =
    check && (input.runCheck ?? true) && realRoot !== null
      ? await runCheck({ command: check.command, cwd: realRoot, timeoutMs: check.timeoutMs ?? 120_000 })
      : null;
  const passed = checkEvidence ? checkPassed(checkEvidence) : null;

  const expected = evidence.length;
  const present = evidence.filter((e) => e.ok).length;
  const anyFile = evidence.some((e) => e.files.length > 0);
  const treeContent = expected === 0 && realRoot !== null ? await treeHasContent(realRoot, input.cache) : expected === 0 ? false : null;

  let status: VerdictStatus;
  if (expected === 0) status = treeContent ? (passed === false ? 'partial' : 'shipped') : 'missing';
  else if (present === expected) status = passed === false ? 'partial' : 'shipped';
  else status = anyFile ? 'partial' : 'missing';

  const reading = { state: claim.state, status: claim.status, says: claim.says, problem: claim.problem };
  const divergence = compareClaim(reading.says, status);
  const disk = describeDisk({ expected, present, treeHasContent: treeContent, check: checkEvidence, passed });
  return {
    stream: input.stream.id,
    status,
    divergence,
    sentence: verdictSentence(reading, divergence, disk, status),
    deliverables: { expected, present },
    evidence: { deliverables: evidence, check: checkEvidence, git },
    claim: reading,
    attempt: typeof input.attempt === 'number' && Number.isInteger(input.attempt) && input.attempt >= 0 ? input.attempt : null,
    reconciledAt: (input.now?.() ?? new Date()).toISOString(),
  };
}
