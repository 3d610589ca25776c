import type { Stream, Verdict } from '@godmode/protocol';

export interface MergeStream {
  stream: Stream;
  verdict: Verdict;
  workTree: string;
}

export interface MergeInput {
  mode: 'folder' | 'git';
  streams: MergeStream[];
  /** Folder mode: the output tree. Git mode: the repository whose integration branch receives the merges. */
  outputDir: string;
  /** Git mode: the branch that receives the merges (default `godmode/integration`, created at the current HEAD). */
  integrationBranch?: string;
  /** Merge a `partial` stream too when this says so (default: the stream's own `mergePartial`). */
  includePartial?: (stream: Stream) => boolean;
  /**
   * The folder every work tree must really be inside (e.g. the run folder; default: each work tree's
   * parent). A work tree that is a symlink, or whose real path leaves this folder, is never merged.
   */
  within?: string;
}

export interface MergeResult {
  merged: string[];
  skipped: Array<{ stream: string; reason: string }>;
  conflicts: Array<{ stream: string; files: string[] }>;
}

/** Which streams go in, and why the others do not. */
export function selectStreams(input: MergeInput): { take: MergeStream[]; skipped: MergeResult['skipped'] } {
  const take: MergeStream[] = [];
  const skipped: MergeResult['skipped'] = [];
  const partialOk = input.includePartial ?? ((s: Stream) => s.mergePartial === true);
  for (const s of input.streams) {
    if (s.verdict.status === 'shipped') take.push(s);
    else if (s.verdict.status === 'partial' && partialOk(s.stream)) take.push(s);
    else skipped.push({ stream: s.stream.id, reason: s.verdict.status === 'partial' ? 'partial, and the plan does not merge partial streams' : 'missing: nothing on disk to merge' });
  }
  return { take, skipped };
}
