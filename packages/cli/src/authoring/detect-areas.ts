import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const SKIP = new Set(['node_modules', 'dist', 'build', 'out', 'target', 'vendor', 'coverage', 'test', 'tests', '__tests__', 'docs', 'notes', 'examples', 'scripts', 'bin']);

function folders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.startsWith('_') && !SKIP.has(e.name))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/**
 * Folders of a repository that parallel builders can own one each — the packages of a monorepo
 * (`packages/*`, `apps/*`, `crates/*`), else the folders of `src/` (or `lib/`, `internal/`, `pkg/`) — read from the
 * directory listing only. Empty when the repository has fewer than two such folders.
 */
export function detectAreas(dir: string): string[] {
  const monorepo = ['packages', 'apps', 'crates', 'services', 'modules'].flatMap((parent) => folders(join(dir, parent)).map((name) => `${parent}/${name}`));
  if (monorepo.length >= 2) return monorepo;
  for (const parent of ['src', 'lib', 'internal', 'pkg']) {
    const inside = folders(join(dir, parent)).map((name) => `${parent}/${name}`);
    if (inside.length >= 2) return inside;
  }
  return [];
}

/** `areas` dealt to `n` builders in turn; undefined when there are fewer areas than builders. */
export function dealAreas(areas: readonly string[], n: number): string[][] | undefined {
  if (areas.length < n || n < 1) return undefined;
  const hands: string[][] = Array.from({ length: n }, () => []);
  areas.forEach((area, i) => hands[i % n]!.push(area));
  return hands;
}
