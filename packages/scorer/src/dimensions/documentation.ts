import type { DimensionScore } from '@godmode/protocol';
import type { ReadmeReading } from '../documentation/readme.js';
import type { TreeScan } from '../tree/scan-tree.js';

/**
 * Mean of the parts that apply: the root README (present and non-trivial), the share of CLI commands
 * with a description and examples (when the tree has oclif-style commands), and the share of exported
 * declarations with a doc comment (when it has TypeScript sources).
 */
export function scoreDocumentation(readme: ReadmeReading, scan: TreeScan): DimensionScore {
  const exports = scan.sources.docs.flatMap((d) => d.exports.map((e) => ({ ...e, file: d.rel })));
  const commands = scan.sources.docs.flatMap((d) => d.commands.map((c) => ({ ...c, file: d.rel })));
  const parts: Array<{ part: string; score: number; why: string }> = [{ part: 'readme', score: readme.score, why: readme.why }];
  const sampled = scan.sources.parsed < scan.sources.candidates ? ` (an even sample of ${scan.sources.parsed} of ${scan.sources.candidates} source files)` : '';
  const unmeasured = scan.sources.docs.filter((d) => d.unmeasured).length;
  if (unmeasured > 0) parts[0] = { ...parts[0]!, why: `${parts[0]!.why}; doc comments and command docs unmeasured: the TypeScript compiler (an optional peer dependency) is not installed` };
  if (commands.length > 0) {
    const good = commands.filter((c) => c.hasDescription && c.hasExamples).length;
    parts.push({ part: 'commands', score: good / commands.length, why: `${good} of ${commands.length} commands have a description and examples${sampled}` });
  }
  if (exports.length > 0) {
    const documented = exports.filter((e) => e.documented).length;
    parts.push({ part: 'doc-comments', score: documented / exports.length, why: `${documented} of ${exports.length} exported declarations have a doc comment${sampled}` });
  }
  const score = parts.reduce((s, p) => s + p.score, 0) / parts.length;
  const undocumented = exports.filter((e) => !e.documented).slice(0, 20).map((e) => `${e.file}:${e.line} ${e.kind} ${e.name}`);
  const incomplete = commands.filter((c) => !(c.hasDescription && c.hasExamples)).slice(0, 20).map((c) => `${c.file}:${c.line} ${c.className}${c.hasDescription ? '' : ' (no description)'}${c.hasExamples ? '' : ' (no examples)'}`);
  return {
    measured: true,
    score: Math.round(score * 1000) / 1000,
    why: parts.map((p) => p.why).join('; '),
    evidence: { parts, readme, sourceFiles: scan.sources, undocumented, incomplete, ...(unmeasured > 0 ? { unmeasuredSourceFiles: unmeasured } : {}) },
  };
}
