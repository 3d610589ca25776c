import path from 'node:path';
import type { Deliverable, DeliverableEvidence, Divergence, Stream, Verdict, VerdictStatus } from '@godmode/protocol';
import { absentArtifacts } from './claim/claim-artifacts.js';
import { readClaimWindow } from './claim/claim-window.js';
import { readFinalAnswer } from './claim/final-answer.js';
import { readClaimSource, type ClaimSource } from './claim/read-claim-file.js';
import { sanitiseText } from './claim/sanitise.js';
import { compareClaim, describeDisk, verdictSentence } from './divergence.js';
import { deliverableEvidence } from './evidence/deliverables.js';
import { gitEvidence } from './evidence/git-evidence.js';
import type { HashCache } from './evidence/hash-cache.js';
import { LinkCensus } from './evidence/link-census.js';
import { checkPassed, runCheck } from './evidence/run-check.js';
import { treeHasContent } from './evidence/tree-has-content.js';
import { resolveWorkTree } from './evidence/work-tree-root.js';

export interface ReconcileInput {
  /** The stream as the plan has it: id, deliverables, optional check. */
  stream: Pick<Stream, 'id' | 'deliverables'> & { check?: Stream['check'] | string };
  /** Absolute path of the stream's work tree. */
  workTree: string;
  /** The worker's claim (`result.json`): a path, its content, or nothing. Testimony only. */
  claim?: ClaimSource;
  /**
   * The attempt being judged. A claim belongs to the attempt that wrote it: with a claim path, a
   * `result.json` last written before this attempt started (its `claim-window.json` from `retireClaim`,
   * or `claimSince`) is ignored as stale.
   */
  attempt?: number | null;
  /** When the attempt started (ms since the epoch or a Date); overrides the recorded claim window. */
  claimSince?: number | Date | null;
  /**
   * The worker's final answer (e.g. Claude Code's `result` event text). When there is no usable
   * `result.json` (absent or stale), it is the claim, classified like a status.
   */
  finalAnswer?: string | null;
  /**
   * The folder the work tree must really be inside (e.g. the run folder). The work tree — or any folder
   * between this and it — being a symlink, or its real path leaving this folder, is evidence of tampering:
   * nothing counts. Default: the work tree's parent folder (only the work tree itself is checked).
   */
  within?: string;
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
  const resolved = await resolveWorkTree(input.workTree, input.within);
  const realRoot = resolved.root;
  const tampered = resolved.tampered;
  const links = realRoot === null ? undefined : new LinkCensus(realRoot);
  const listed = Array.isArray(input.stream.deliverables) ? input.stream.deliverables : [];
  const check = typeof input.stream.check === 'string' ? { command: input.stream.check, timeoutMs: 120_000 } : input.stream.check;

  const normalised = listed.map(normaliseDeliverable);
  const valid = normalised.filter((d): d is Deliverable => d !== null);
  const blobs = new Map<string, string>();
  const dirs = new Map<string, Promise<string | null>>();
  const looked = Promise.all(
    listed.map((raw, i): Promise<DeliverableEvidence> => {
      const d = normalised[i];
      if (tampered !== null) return Promise.resolve({ deliverable: d ? describeLabel(d) : String(raw), ok: false, files: [], reasons: [tampered] });
      return d
        ? deliverableEvidence(realRoot, d, input.cache, blobs, dirs, links)
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
    readClaimOfAttempt(input),
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

  // A claim that names artifacts is compared with the disk too: naming a file that is not there overstates.
  const named = claim.claim?.artifacts ?? [];
  const absent = named.length > 0 ? await absentArtifacts(realRoot, input.workTree, named, { ...(input.cache ? { cache: input.cache } : {}), dirs, ...(links ? { links } : {}) }) : [];
  let problem = claim.problem;
  if (absent.length > 0) {
    const shown = absent.slice(0, 5).map((a) => sanitiseText(a, 80)).join(', ');
    const note = `names ${absent.length} artifact${absent.length === 1 ? '' : 's'} not on disk: ${shown}${absent.length > 5 ? ', …' : ''}`;
    problem = problem ? `${problem}; ${note}` : note;
  }
  const reading = { state: claim.state, status: claim.status, says: claim.says, problem };
  let divergence: Divergence = compareClaim(reading.says, status);
  if (absent.length > 0 && reading.says !== 'failure') divergence = 'overstated';
  const disk = describeDisk({ expected, present, treeHasContent: treeContent, check: checkEvidence, passed, tampered });
  return {
    stream: input.stream.id,
    status,
    divergence,
    sentence: verdictSentence(reading, divergence, disk, status, absent.length),
    deliverables: { expected, present },
    evidence: { deliverables: evidence, check: checkEvidence, git, ...(tampered !== null ? { tampering: tampered } : {}) },
    claim: reading,
    attempt: typeof input.attempt === 'number' && Number.isInteger(input.attempt) && input.attempt >= 0 ? input.attempt : null,
    reconciledAt: (input.now?.() ?? new Date()).toISOString(),
  };
}

function describeLabel(d: Deliverable): string {
  return 'glob' in d ? `${d.glob} (≥ ${d.min})` : d.path;
}

/** The claim of the attempt being judged: `result.json` unless it is older than the attempt, else the final answer. */
async function readClaimOfAttempt(input: ReconcileInput) {
  const source = input.claim;
  let since: number | null = input.claimSince instanceof Date ? input.claimSince.getTime() : typeof input.claimSince === 'number' ? input.claimSince : null;
  if (since === null && source && 'path' in source && typeof input.attempt === 'number') since = await readClaimWindow(path.dirname(source.path), input.attempt);
  const claim = await readClaimSource(source, { since, attempt: input.attempt ?? null });
  if (claim.state !== 'absent') return claim;
  const answer = readFinalAnswer(input.finalAnswer);
  if (answer === null) return claim;
  return claim.problem?.startsWith('stale') ? { ...answer, problem: `${claim.problem}; ${answer.problem}` } : answer;
}
