import { posix } from 'node:path';
import { z } from 'zod';
import { lazySchema } from './lazy-schema.js';

/**
 * True when `p` names something inside the work tree: relative, and never climbing out of it.
 * Pure string logic (no I/O); symlinks are the reconciler's business.
 */
export function staysInside(p: string): boolean {
  if (p.length === 0 || p.includes('\0')) return false;
  const unixy = p.replaceAll('\\', '/');
  if (unixy.startsWith('/') || /^[A-Za-z]:/.test(unixy)) return false;
  const normal = posix.normalize(unixy);
  return normal !== '..' && !normal.startsWith('../') && normal !== '.';
}

export const relativePathSchema = /* @__PURE__ */ lazySchema(() => z
  .string()
  .min(1)
  .refine(staysInside, { message: 'a path inside the work tree (relative, without ".." leading out of it)' }));
