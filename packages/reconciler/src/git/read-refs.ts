import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface HeadRefs {
  /** The checked-out branch, or null when HEAD is detached. */
  branch: string | null;
  sha: string;
  /** `refname sha` lines for the given branches that exist, in the order asked. */
  mains: Array<{ ref: string; sha: string }>;
}

const sha1 = /^[0-9a-f]{40}$/;

function read(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/**
 * HEAD, its branch and the main branches' tips read straight from the files git keeps (loose refs and
 * packed-refs, linked worktrees included) — no process spawned, so a repeat reconcile costs no git at all.
 * Returns null for anything unusual (reftable, an unborn HEAD, a symref chain, SHA-256 repositories), and
 * the caller asks git itself.
 */
export function readHeadRefs(workTree: string, branches: readonly string[]): HeadRefs | null {
  const dotGit = path.join(workTree, '.git');
  let gitDir = dotGit;
  const asFile = read(dotGit);
  if (asFile !== null) {
    const m = /^gitdir: (.+)$/m.exec(asFile);
    if (!m) return null;
    gitDir = path.resolve(workTree, (m[1] as string).trim());
  }
  const commonRel = read(path.join(gitDir, 'commondir'));
  const commonDir = commonRel !== null ? path.resolve(gitDir, commonRel.trim()) : gitDir;
  if (read(path.join(commonDir, 'reftable')) !== null) return null;
  const packed = new Map<string, string>();
  for (const line of (read(path.join(commonDir, 'packed-refs')) ?? '').split('\n')) {
    const [sha, ref] = line.split(' ');
    if (sha && ref && sha1.test(sha)) packed.set(ref.trim(), sha);
  }
  const resolve = (ref: string): string | null => {
    const loose = read(path.join(commonDir, ref))?.trim();
    if (loose && sha1.test(loose)) return loose;
    return packed.get(ref) ?? null;
  };
  const head = read(path.join(gitDir, 'HEAD'))?.trim();
  if (!head) return null;
  let branch: string | null = null;
  let sha: string | null;
  if (head.startsWith('ref: ')) {
    const ref = head.slice(5).trim();
    if (!ref.startsWith('refs/heads/')) return null;
    branch = ref.slice('refs/heads/'.length);
    sha = resolve(ref);
  } else {
    sha = sha1.test(head) ? head : null;
  }
  if (sha === null) return null;
  const mains = branches.flatMap((b) => {
    const s = resolve(`refs/heads/${b}`);
    return s ? [{ ref: `refs/heads/${b}`, sha: s }] : [];
  });
  return { branch, sha, mains };
}
