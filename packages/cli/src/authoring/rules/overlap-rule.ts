import { isGlobDeliverable } from '@godmode/protocol';
import picomatch from 'picomatch';
import { globSamples, globsOverlap } from '../glob-overlap.js';
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
        const hit = firstOverlap(territories[s] ?? [], territories[t] ?? [], existing);
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

function firstOverlap(mine: Territory[], theirs: Territory[], existing: readonly string[]): { mine: Territory; theirs: Territory; example: string } | undefined {
  for (const a of mine) {
    for (const b of theirs) {
      const example = globsOverlap(a.glob, b.glob, existing);
      if (example !== undefined) return { mine: a, theirs: b, example };
    }
  }
  return undefined;
}
