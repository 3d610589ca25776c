import { planSchema } from '@godmode/protocol';
import { stringify } from 'yaml';
import type { DetectedCommand, RepoCommands } from './detect-commands.js';

export const TEMPLATES = ['seed', 'builders', 'review'] as const;
export type TemplateName = (typeof TEMPLATES)[number];

export interface TemplateRequest {
  template: TemplateName;
  /** Parallel streams of the main phase (builders or reviewers). */
  streams: number;
  name: string;
  commands: RepoCommands;
  /** Folders for the builders to own, one list per builder (from `dealAreas`); placeholders when absent. */
  areas?: string[][];
}

/** A YAML scalar, quoted only when it must be. */
const q = (value: string): string => stringify(value, { lineWidth: 0 }).trimEnd();

/** Whether this godmode's plan schema accepts a top-level field (e.g. `setup`, added in a later version). */
function planAccepts(field: string, value: unknown): boolean {
  const minimal = { name: 'x', phases: [{ id: 'p', streams: [{ id: 's', worker: { adapter: 'command', options: { command: 'true' } } }] }] };
  return planSchema.safeParse({ ...minimal, [field]: value }).success;
}

const WRITER_TOOLS = '[Read, Glob, Grep, Edit, Write, Bash]';

interface StreamSpec {
  id: string;
  description: string;
  owns: string[];
  deliverable: string;
  task: string;
  readOnly?: boolean;
  budgetMs?: number;
}

/**
 * The text of a new plan, commented line by line: the repository's own commands filled in where they were
 * detected (with where from), commented placeholders where not, and claude workers whose prompts say what
 * each agent owns and where its claim goes.
 */
export function renderPlanTemplate(request: TemplateRequest): string {
  const { commands } = request;
  const n = request.streams;
  const testHint = commands.test ? `Run the tests with \`${commands.test.command}\` before you finish.` : 'Run the project’s tests before you finish.';
  const out: string[] = [
    `# godmode plan, written by \`godmode orchestra init --template ${request.template}\`.`,
    '# Check it: godmode orchestra validate godmode.plan.yaml --dry-run    Run it: godmode orchestra run godmode.plan.yaml',
    '# Each field is explained on the line above it. Replace every TODO with what you want built.',
    '',
    '# The run’s name: part of the run id and the receipt’s title.',
    `name: ${q(request.name)}`,
    '# What this run is for, in one sentence (shown in the receipt).',
    'description: TODO say what the agents should achieve',
    '',
    '# Run-wide limits; durations are in milliseconds.',
    'settings:',
    '  # Keep the machine under 80% CPU: the governor pauses workers rather than killing them.',
    '  cpuCeiling: 0.8',
    '  # A worker with no output, no file change and no CPU for this long is stalled (15 min).',
    '  stallWindowMs: 900000',
    '  # Hard wall-clock budget of one attempt (60 min); never shorter than the stall window.',
    '  budgetMs: 3600000',
    '  # Attempts per stream; the disk is read before any retry, so finished work is never redone.',
    '  maxAttempts: 2',
    '',
  ];
  const setupAccepted = commands.setup ? planAccepts('setup', commands.setup.command) : false;
  out.push(...commandLines('setup', 'Installs dependencies in each fresh work tree before its agent starts.', commands.setup, setupAccepted, 'the command that installs dependencies'));
  out.push(...commandLines('test', 'The tests, run on the merged result (and on each merge of the queue).', commands.test, true, 'the command that runs your tests'));
  out.push(...commandLines('lint', 'The linter, run like the tests.', commands.lint, true, 'the command that lints'));
  out.push(...commandLines('typecheck', 'The type checker, run like the tests.', commands.typecheck, true, 'the command that type-checks'));
  out.push('', '# Phases run in order; the streams of one phase run in parallel, each in its own work tree.', 'phases:');

  const builders: StreamSpec[] = Array.from({ length: n }, (_, i) => {
    const areas = request.areas?.[i];
    return {
      id: `builder-${i + 1}`,
      description: areas ? `TODO what builder ${i + 1} builds in ${areas.join(', ')}` : `TODO what builder ${i + 1} builds`,
      owns: [...(areas ? areas.map((a) => `${a}/**`) : [`src/TODO-part-${i + 1}/**`]), `notes/builder-${i + 1}.md`],
      deliverable: `notes/builder-${i + 1}.md`,
      task: areas ? `TODO describe the work in ${areas.join(', ')}.` : `TODO describe part ${i + 1} of the work.`,
    };
  });
  if (request.template === 'seed') {
    out.push(
      ...phase('recon', 'Recon: one read-only agent maps the repository and leaves notes for everyone after it.', 1, [
        {
          id: 'recon',
          description: 'maps the repository: layout, commands, conventions, risks',
          owns: ['notes/recon.md'],
          deliverable: 'notes/recon.md',
          task: 'Read the repository and write notes/recon.md: its layout, how to build and test it, its conventions, and the risks for the work described in this plan. Change nothing else.',
          readOnly: true,
          budgetMs: 1_800_000,
        },
      ]),
      ...phase('build', `Builders: ${n} agents in parallel, each owning its own files (owns: must not overlap).`, n, builders.map((b) => ({ ...b, task: `Read notes/recon.md first. ${b.task}` }))),
      ...phase('test', 'Test: one agent writes and fixes tests for what the builders shipped.', 1, [
        { id: 'test', description: 'tests for the new work', owns: ['test/**', 'tests/**', '**/*.test.*', '**/*_test.*', 'notes/test.md'], deliverable: 'notes/test.md', task: 'Write tests for the work the builders merged (see notes/builder-*.md), run them, and fix the tests, not the code, unless the code is plainly wrong. Write what you tested to notes/test.md.' },
      ]),
      ...phase('harden', 'Harden: one agent fixes what the tests and a careful read turn up.', 1, [
        { id: 'harden', description: 'error handling, edge cases, security', owns: ['**'], deliverable: 'notes/harden.md', task: 'Read notes/test.md and the new code. Fix bugs, error handling and security problems you find, with a test for each. List each fix in notes/harden.md.' },
      ]),
      ...phase('document', 'Document: one agent updates the docs to match what was built.', 1, [
        { id: 'document', description: 'README and docs', owns: ['README.md', 'docs/**', '**/README.md', 'notes/document.md'], deliverable: 'notes/document.md', task: 'Update README.md and docs/ to describe what was built, with examples that work. Summarise your changes in notes/document.md.' },
      ]),
    );
  } else if (request.template === 'builders') {
    out.push(...phase('build', `${n} builders in parallel, each owning its own files (owns: must not overlap).`, n, builders));
  } else {
    out.push(
      ...phase(
        'review',
        `${n} read-only reviewers in parallel, each writing its findings to its own notes file.`,
        n,
        Array.from({ length: n }, (_, i) => {
          const area = request.areas?.[i]?.join(', ') ?? `TODO-area-${i + 1}`;
          return {
            id: `review-${i + 1}`,
            description: request.areas ? `reviews ${area}` : `TODO the area reviewer ${i + 1} reads`,
            owns: [`notes/review-${i + 1}.md`],
            deliverable: `notes/review-${i + 1}.md`,
            task: `Review ${area} of this repository for bugs, security problems and unclear code. Write each finding (file, line, what is wrong, how to fix it) to notes/review-${i + 1}.md. Change no other file.`,
            readOnly: true,
          };
        }),
      ),
    );
  }
  return out.join('\n') + '\n';

  function phase(id: string, comment: string, parallelism: number, streams: StreamSpec[]): string[] {
    const lines = [`  # ${comment}`, `  - id: ${id}`];
    if (parallelism > 1) lines.push('    # Streams of this phase running at once (the governor may admit fewer).', `    parallelism: ${parallelism}`);
    lines.push('    streams:');
    for (const stream of streams) lines.push(...streamLines(stream));
    return lines;
  }

  function streamLines(stream: StreamSpec): string[] {
    const others = stream.owns.length === 1 && stream.owns[0] === '**' ? 'You may change any file of the repository.' : `You own ${stream.owns.join(', ')}: change nothing outside ${stream.owns.length === 1 ? 'it' : 'them'}; other agents own the rest.`;
    const claim = stream.readOnly
      ? `Your notes file is your whole output; write it with the Write tool.`
      : `When you are done, write your claim as JSON to the file named by the GODMODE_RESULT environment variable (for example with Bash: cat > "$GODMODE_RESULT"), shaped {"stream": "${stream.id}", "status": "success" | "partial" | "failed", "artifacts": [the files you wrote], "summary": "what you did"}. It is advisory: the files on disk decide.`;
    const prompt = [`You are the "${stream.id}" agent of a godmode run; other agents work on this repository at the same time, each in its own work tree.`, stream.task, others, ...(stream.readOnly ? [] : [testHint, `Write ${stream.deliverable} last, summarising what you did.`]), claim];
    return [
      `      - id: ${stream.id}`,
      `        description: ${q(stream.description)}`,
      '        worker:',
      '          # Claude Code, headless (stream-json); it must be installed and logged in on this machine.',
      '          adapter: claude',
      '          options:',
      ...(stream.readOnly
        ? ['            # plan mode: Claude Code reads and plans; Write is allowed only so it can leave its notes.', '            permissionMode: plan', '            allowedTools: [Read, Glob, Grep, Write]']
        : ['            # acceptEdits: it may edit files without asking; Bash runs builds and tests.', '            permissionMode: acceptEdits', `            allowedTools: ${WRITER_TOOLS}`]),
      '            prompt: |',
      ...prompt.map((line) => `              ${line}`),
      '        # Globs of the files this stream may change; its deliverables lie inside them.',
      `        owns: [${stream.owns.map(q).join(', ')}]`,
      '        # Files that must exist on disk for the stream to count: the disk decides, not the claim.',
      `        deliverables: [${q(stream.deliverable)}]`,
      ...(stream.budgetMs ? ['        # This stream’s own budget per attempt (ms).', `        budgetMs: ${stream.budgetMs}`] : []),
    ];
  }
}

function commandLines(field: string, what: string, found: DetectedCommand | undefined, accepted: boolean, placeholder: string): string[] {
  if (found && accepted) return [`# ${what} Detected from ${found.source}.`, `${field}: ${q(found.command)}`];
  if (found) return [`# ${what} Detected from ${found.source}; this godmode's plan has no "${field}" field yet.`, `# ${field}: ${q(found.command)}`];
  return [`# ${what} Not detected: uncomment and fill in.`, `# ${field}: <${placeholder}>`];
}
