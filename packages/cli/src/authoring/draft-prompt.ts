import { claudeOptionsSchema } from '@godmode/protocol';
import type { PlanProblem } from './plan-problem.js';
import { keysAt } from './schema-problems.js';

/** Tools the drafting Claude Code may use: it reads the repository and changes nothing. */
export const DRAFT_TOOLS = ['Read', 'Glob', 'Grep'];
export const DRAFT_DENIED_TOOLS = ['Write', 'Edit', 'MultiEdit', 'NotebookEdit', 'Bash'];

const fields = (path: string): string => (keysAt(path) ?? []).join(', ');

/** The first request: the goal, how to work, the plan format (field lists read from the schema itself). */
export function firstDraftPrompt(goal: string, streams: number): string {
  return [
    'Draft a godmode plan (godmode.plan.yaml) for this goal:',
    '',
    goal,
    '',
    'godmode runs coding agents in parallel, each in its own git work tree of this repository, and merges what they ship.',
    'First learn the repository with Read, Glob and Grep (layout, language, how it builds and tests). Change no file.',
    'Then answer with a few lines explaining your choices, followed by the complete plan in ONE ```yaml fenced block.',
    '',
    'The plan (YAML). Only these fields exist; any other field is an error:',
    `- top level: ${fields('')}`,
    `- settings (durations in ms): ${fields('settings')}`,
    `- each phase: ${fields('phases[0]')}`,
    `- each stream: ${fields('phases[0].streams[0]')}`,
    `- worker: { adapter: claude, options: {...} }; claude options: ${Object.keys(claudeOptionsSchema.shape).join(', ')}`,
    '- test, lint, typecheck, check: a shell command string',
    '',
    'Shape it like this:',
    '- phase "recon": one stream "recon", adapter claude, permissionMode: plan, allowedTools: [Read, Glob, Grep, Write],',
    '  owns: [notes/recon.md], deliverables: [notes/recon.md]; its prompt asks for notes on the repository for the other agents.',
    `- then a phase of ${streams} streams in parallel (parallelism: ${streams}). Their owns: globs must be disjoint: no file may match`,
    '  two streams of one phase. Each stream\'s deliverables lie inside its owns. Give a stream a check: command when the',
    '  repository can verify its part. Writers use permissionMode: acceptEdits and allowedTools: [Read, Glob, Grep, Edit, Write, Bash].',
    '- every prompt says what the agent owns (and must not change outside it), and to write its claim as JSON',
    '  ({"stream", "status", "artifacts", "summary"}) to the file named by the GODMODE_RESULT environment variable.',
    '- test, lint and typecheck: only commands this repository really has.',
  ].join('\n');
}

/** The next request: what godmode's validation found, to be fixed in a complete new draft. */
export function fixDraftPrompt(problems: PlanProblem[]): string {
  return [
    'godmode validated your plan and found these problems:',
    ...problems.map((p) => `- ${p.path || '(file)'}: ${p.message}. Fix: ${p.fix}`),
    '',
    'Answer again: a few lines on what you changed, then the complete corrected plan in ONE ```yaml fenced block.',
  ].join('\n');
}

/** Splits an answer into the plan (the last ```yaml block) and the reasoning around it. */
export function splitDraft(answer: string): { yaml: string | undefined; reasoning: string } {
  const blocks = [...answer.matchAll(/```ya?ml[^\n]*\n([\s\S]*?)```/gi)];
  const last = blocks.at(-1);
  if (!last) return { yaml: undefined, reasoning: answer.trim() };
  const reasoning = (answer.slice(0, last.index) + answer.slice((last.index ?? 0) + last[0].length)).replace(/```ya?ml[^\n]*\n[\s\S]*?```/gi, '').trim();
  return { yaml: last[1] ?? '', reasoning };
}

/** The file as written: the goal and the model's reasoning as YAML comments (control characters removed), then the plan. */
export function draftFileText(goal: string, reasoning: string, yaml: string): string {
  const comment = (text: string): string[] =>
    text
      .replace(/\r\n?/g, '\n')
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, '')
      .split('\n')
      .map((line) => (line.trim() === '' ? '#' : `# ${line}`));
  return [
    '# Drafted by Claude Code with `godmode orchestra plan`, and validated by godmode. The goal:',
    ...comment(goal),
    ...(reasoning ? ['#', '# Claude Code’s reasoning:', ...comment(reasoning)] : []),
    '',
    yaml.trimEnd(),
    '',
  ].join('\n');
}
