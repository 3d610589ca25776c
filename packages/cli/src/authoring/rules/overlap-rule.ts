import { isGlobDeliverable } from '@godmode/protocol';
import picomatch from 'picomatch';
import { globSamples, globsOverlap, literalPrefix, matcher } from '../glob-overlap.js';
import type { PlanProblem } from '../plan-problem.js';
import type { PlanRule } from './rule-context.js';

interface Territory {
  glob: string;
  path: string;
}

/**
 * Two streams of one phase that may write the same file lose each other's work at merge time, so their
 * territories — `owns:` globs when declared, else their deliverables — must not overlap unless one of them
 * says `allowOverlap: true`. A stream's deliverables must also lie inside what it owns.
 */
export const overlapRule: PlanRule = async (context) => {
  const problems: PlanProblem[] = [];
  const existing = await context.existingFiles();
  const matches = fileMatcher(existing);
  context.plan.phases.forEach((phase, p) => {
    const territories = phase.streams.map((stream, s): Territory[] => {
      const at = `phases[${p}].streams[${s}]`;
      if (stream.owns && stream.owns.length > 0) return stream.owns.map((glob, i) => ({ glob, path: `${at}.owns[${i}]` }));
      return stream.deliverables.map((d, i) => ({ glob: isGlobDeliverable(d) ? d.glob : d.path, path: `${at}.deliverables[${i}]` }));
    });
    phase.streams.forEach((stream, s) => {
      for (let t = 0; t < s; t++) {
        const other = phase.streams[t]!;
        if (stream.allowOverlap || other.allowOverlap) continue;
        const hit = firstOverlap(territories[s] ?? [], territories[t] ?? [], matches);
        if (!hit) continue;
        problems.push({
          file: context.file,
          path: hit.mine.path,
          message: `streams "${other.id}" and "${stream.id}" of phase "${phase.id}" may both write ${hit.example}: "${hit.mine.glob}" overlaps "${hit.theirs.glob}" (${hit.theirs.path}); parallel writers to one file lose work at merge`,
          fix: `make the two disjoint (narrow ${hit.mine.path} or ${hit.theirs.path}), move one stream to another phase, or set allowOverlap: true on one of them if they must share ${hit.example}`,
        });
      }
    });
    phase.streams.forEach((stream, s) => {
      const owns = stream.owns ?? [];
      if (owns.length === 0) return;
      const owned = owns.map((g) => picomatch(g, { dot: true }));
      stream.deliverables.forEach((d, i) => {
        const samples = isGlobDeliverable(d) ? globSamples(d.glob) : [d.path];
        const outside = samples.find((sample) => !owned.some((m) => m(sample)));
        if (outside === undefined) return;
        problems.push({
          file: context.file,
          path: `phases[${p}].streams[${s}].deliverables[${i}]`,
          message: `deliverable ${isGlobDeliverable(d) ? `"${d.glob}"` : `"${d.path}"`} of stream "${stream.id}" is outside what it owns (${owns.join(', ')}): e.g. ${outside}`,
          fix: `add a glob covering ${outside} to phases[${p}].streams[${s}].owns, or change the deliverable`,
        });
      });
    });
  });
  return problems;
};

function firstOverlap(mine: Territory[], theirs: Territory[], matches: (glob: string) => Set<string>): { mine: Territory; theirs: Territory; example: string } | undefined {
  for (const a of mine) {
    for (const b of theirs) {
      // The repository's files are matched once per glob (not once per pair): a phase of many streams on a
      // large repository stays linear in its file count.
      let example = globsOverlap(a.glob, b.glob);
      if (example === undefined) {
        const [small, large] = [matches(a.glob), matches(b.glob)].sort((x, y) => x.size - y.size) as [Set<string>, Set<string>];
        for (const file of small) {
          if (large.has(file)) {
            example = file;
            break;
          }
        }
      }
      if (example !== undefined) return { mine: a, theirs: b, example };
    }
  }
  return undefined;
}

/**
 * The repository's files each glob matches, computed once per glob. Files are sorted once, so a glob with a
 * literal folder (`packages/api/**`) is tested only against the files under it (found by binary search).
 */
function fileMatcher(existing: readonly string[]): (glob: string) => Set<string> {
  const sorted = [...existing].sort();
  const lowerBound = (key: string): number => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sorted[mid] as string) < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const cache = new Map<string, Set<string>>();
  return (glob) => {
    let files = cache.get(glob);
    if (files) return files;
    const match = matcher(glob);
    const prefix = literalPrefix(glob);
    // '/' + 1 is '0': every path under `prefix/` sorts in [prefix/, prefix0).
    const candidates = prefix === '' ? sorted : [...(sorted[lowerBound(prefix)] === prefix ? [prefix] : []), ...sorted.slice(lowerBound(`${prefix}/`), lowerBound(`${prefix}0`))];
    files = new Set(candidates.filter((file) => match(file)));
    cache.set(glob, files);
    return files;
  };
}
