import { folderMerge } from './folder-merge.js';
import { gitMerge } from './git-merge.js';
import type { MergeInput, MergeResult } from './merge-types.js';

/** Brings shipped streams (and partial ones the plan allows) into the run's integration tree. */
export async function merge(input: MergeInput): Promise<MergeResult> {
  return input.mode === 'git' ? gitMerge(input) : folderMerge(input);
}
