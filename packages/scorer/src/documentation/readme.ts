import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TreeFile } from '../tree/walk-tree.js';

/** Fewer words than this is a title and a sentence, not documentation. */
export const README_MIN_WORDS = 60;

export interface ReadmeReading {
  file: string | null;
  words: number;
  headings: number;
  codeBlocks: number;
  /** 1 present and non-trivial, 0.3 present but trivial, 0 absent. */
  score: number;
  why: string;
}

/** The README at the root of the tree: present, and long enough to tell a stranger what this is and how to use it. */
export function readReadme(root: string, files: readonly TreeFile[]): ReadmeReading {
  const candidate = files.find((f) => !f.rel.includes('/') && /^readme(\.(md|markdown|txt|rst))?$/i.test(f.rel));
  if (!candidate) return { file: null, words: 0, headings: 0, codeBlocks: 0, score: 0, why: 'no README at the root of the tree' };
  let text = '';
  try {
    text = readFileSync(join(root, candidate.rel), 'utf8');
  } catch {
    return { file: candidate.rel, words: 0, headings: 0, codeBlocks: 0, score: 0, why: `${candidate.rel} cannot be read` };
  }
  const words = text.split(/\s+/).filter((w) => /[A-Za-z0-9]/.test(w)).length;
  const headings = (text.match(/^#{1,6}\s+\S/gm) ?? []).length;
  const codeBlocks = Math.floor((text.match(/^```/gm) ?? []).length / 2);
  const nonTrivial = words >= README_MIN_WORDS;
  return {
    file: candidate.rel,
    words,
    headings,
    codeBlocks,
    score: nonTrivial ? 1 : 0.3,
    why: nonTrivial
      ? `${candidate.rel}: ${words} words, ${headings} headings, ${codeBlocks} code blocks`
      : `${candidate.rel} is trivial: ${words} words (fewer than ${README_MIN_WORDS})`,
  };
}
