import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathDeliverableSchema, planSchema } from '@godmode/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validatePlanFile, validatePlanText } from '../../src/authoring/index.js';
import { gitRepo, orchestra, sandbox, type Sandbox } from './support/cli.js';

// `godmode orchestra validate` as a process: each problem the schema cannot see, named by file, path, line and fix.
let box: Sandbox;
let repo: string;
beforeAll(async () => {
  box = sandbox();
  repo = join(box.root, 'repo');
  await gitRepo(repo, { 'src/api/users.ts': 'export {}\n', 'src/web/app.ts': 'export {}\n', 'README.md': '# r\n' });
});
afterAll(() => box.dispose());

const worker = (command = 'node -e 1') => `{ adapter: command, options: { command: ${JSON.stringify(command)} } }`;
const base = (streams: string, extra = ''): string => `name: t
${extra}phases:
  - id: build
    streams:
${streams}`;
const stream = (id: string, body: string): string => `      - id: ${id}\n        worker: ${worker()}\n${body
  .split('\n')
  .filter(Boolean)
  .map((l) => `        ${l}`)
  .join('\n')}\n`;

const accepts = (field: string, value: unknown): boolean =>
  planSchema.safeParse({ name: 'x', [field]: value, phases: [{ id: 'p', streams: [{ id: 's', worker: { adapter: 'command', options: { command: 'true' } } }] }] }).success;

interface Case {
  name: string;
  plan: string;
  path: string;
  message: RegExp;
  fix: RegExp;
  skip?: boolean;
}

const cases: Case[] = [
  {
    name: 'overlapping owns: globs in one phase',
    plan: base(stream('api', 'owns: [src/api/**]') + stream('all', 'owns: ["docs/**", "src/**"]')),
    path: 'phases[0].streams[1].owns[1]',
    message: /streams "api" and "all" of phase "build" may both write src\/api\/\S+/,
    fix: /allowOverlap: true/,
  },
  {
    name: 'two streams delivering the same file',
    plan: base(stream('a', 'deliverables: [src/web/app.ts]') + stream('b', 'deliverables: ["src/web/*.ts"]')),
    path: 'phases[0].streams[1].deliverables[0]',
    message: /may both write src\/web\//,
    fix: /make the two disjoint/,
  },
  {
    name: 'a deliverable outside what its stream owns',
    plan: base(stream('a', 'owns: [src/api/**]\ndeliverables: [src/api/x.ts, docs/api.md]')),
    path: 'phases[0].streams[0].deliverables[1]',
    message: /outside what it owns/,
    fix: /add a glob covering docs\/api.md to phases\[0\].streams\[0\].owns/,
  },
  {
    name: 'a test command not on PATH',
    plan: base(stream('a', 'deliverables: [x.md]'), 'test: "CI=1 no-such-tool-16 --all"\n'),
    path: 'test',
    message: /the test command runs "no-such-tool-16", which is not on PATH/,
    fix: /install no-such-tool-16, or change test/,
  },
  {
    name: "a stream's check not on PATH",
    plan: base(stream('a', 'deliverables: [x.md]\ncheck: { command: "node -e 1 && missing-checker-16" }')),
    path: 'phases[0].streams[0].check.command',
    message: /runs "missing-checker-16"/,
    fix: /change phases\[0\]\.streams\[0\]\.check\.command/,
  },
  {
    name: 'a setup command not on PATH',
    plan: base(stream('a', 'deliverables: [x.md]'), 'setup: "missing-installer-16 install"\n'),
    path: 'setup',
    message: /the setup command runs "missing-installer-16"/,
    fix: /install missing-installer-16/,
    skip: !accepts('setup', 'x'),
  },
  {
    name: 'a claude stream that cannot write',
    plan: base(`      - id: writer\n        worker: { adapter: claude, options: { prompt: "build it", allowedTools: [Read, Grep] } }\n        deliverables: [src/new.ts]\n`),
    path: 'phases[0].streams[0].worker.options.allowedTools',
    message: /stream "writer" must write its deliverables, but its Claude Code has no way to write files/,
    fix: /add "Write" and "Edit".*or set .*permissionMode: acceptEdits/,
  },
  {
    name: 'an adapter no plugin provides',
    plan: base(`      - id: a\n        worker: { adapter: telepathy, options: {} }\n`),
    path: 'phases[0].streams[0].worker.adapter',
    message: /no installed plugin provides the adapter "telepathy"/,
    fix: /adapters available here \(.*command.*claude.*\)/,
  },
  {
    name: 'a repo: that is not a repository',
    plan: base(stream('a', 'deliverables: [x.md]'), 'repo: ../not-a-repo\n'),
    path: 'repo',
    message: /is not a git repository/,
    fix: /git init/,
    skip: !accepts('repo', '.'),
  },
  {
    name: 'a budget shorter than the stall window',
    plan: base(stream('a', 'deliverables: [x.md]'), 'settings: { budgetMs: 60000, stallWindowMs: 120000 }\n'),
    path: 'settings.budgetMs',
    message: /budget \(1 min\) is shorter than the stall window \(2 min\)/,
    fix: /raise settings\.budgetMs to at least 120000/,
  },
  {
    name: "a stream's budget shorter than the stall window",
    plan: base(stream('a', 'deliverables: [x.md]\nbudgetMs: 30000')),
    path: 'phases[0].streams[0].budgetMs',
    message: /shorter than the stall window \(15 min\)/,
    fix: /raise phases\[0\]\.streams\[0\]\.budgetMs/,
  },
  {
    name: 'a misspelt field',
    plan: base(stream('a', 'deliverable: [x.md]')),
    path: 'phases[0].streams[0].deliverable',
    message: /unknown field "deliverable"/,
    fix: /rename it to "deliverables"/,
  },
];

describe('godmode orchestra validate', { timeout: 120_000 }, () => {
  it.each(cases.filter((c) => !c.skip).map((c) => [c.name, c] as const))('catches %s', async (_name, c) => {
    const file = join(repo, 'plan.yaml');
    writeFileSync(file, c.plan);
    const text = await orchestra(['validate', 'plan.yaml'], repo, box.env);
    expect(text.exitCode, String(text.stderr)).toBe(2);
    const line = c.plan.split('\n').findIndex((l) => l.includes(String(c.path.split(/[.[]/).filter((s) => !/^\d+\]$/.test(s)).at(-1)))) + 1;
    expect(String(text.stderr)).toContain(`plan.yaml:`);
    expect(String(text.stderr)).toContain(` ${c.path}: `);
    expect(String(text.stderr)).toMatch(c.message);
    expect(String(text.stderr)).toMatch(new RegExp(`fix: .*${c.fix.source}`));
    expect(line).toBeGreaterThan(0);

    const json = await orchestra(['validate', 'plan.yaml', '--json'], repo, box.env);
    expect(json.exitCode).toBe(2);
    const data = JSON.parse(String(json.stdout)) as { valid: boolean; problems: Array<{ file: string; path: string; line?: number; message: string; fix: string }> };
    expect(data.valid).toBe(false);
    const problem = data.problems.find((p) => p.path === c.path);
    expect(problem, JSON.stringify(data.problems)).toMatchObject({ file: 'plan.yaml', message: expect.stringMatching(c.message), fix: expect.stringMatching(c.fix) });
    expect(problem!.line).toBeTypeOf('number');
    expect(c.plan.split('\n')[problem!.line! - 1]).toBeDefined();
  });

  it('lets streams share files when one of them says allowOverlap: true', async () => {
    writeFileSync(join(repo, 'plan.yaml'), base(stream('api', 'owns: [src/api/**]') + stream('all', 'owns: ["src/**"]\nallowOverlap: true')));
    const run = await orchestra(['validate', 'plan.yaml'], repo, box.env);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('plan.yaml: valid (1 phases, 2 streams).');
  });

  it('points at the line of the problem', async () => {
    const plan = base(stream('api', 'owns: [src/api/**]') + stream('all', 'owns: ["src/**"]'));
    writeFileSync(join(repo, 'plan.yaml'), plan);
    const { problems } = await validatePlanFile(join(repo, 'plan.yaml'), { env: box.env });
    expect(problems).toHaveLength(1);
    expect(plan.split('\n')[problems[0]!.line! - 1]).toContain('owns: ["src/**"]');
  });

  it('is exported from @godmode/cli for `orchestra run` to call first', async () => {
    const { validatePlanFile: exported } = await import('@godmode/cli');
    writeFileSync(join(repo, 'plan.yaml'), base(stream('a', 'deliverables: [x.md]\nbudgetMs: 1000')));
    const { problems } = await exported(join(repo, 'plan.yaml'), { env: box.env });
    expect(problems.map((p) => [p.path, p.line])).toEqual([['phases[0].streams[0].budgetMs', 8]]);
  });

  it("accepts an adapter a plugin registered in the supervisor's registry, with the plugin's option schema", async () => {
    const { registerAdapter } = await import('@godmode/supervisor');
    // A strict `{ path }` object stands in for the plugin's own zod schema.
    registerAdapter({ name: 'scribe-16', optionsSchema: pathDeliverableSchema, launch: () => ({ file: 'true', args: [], env: {} }) });
    const plan = base(`      - id: a\n        worker: { adapter: scribe-16, options: { path: notes.md } }\n`);
    expect((await validatePlanText(plan, 'plan.yaml', { env: box.env, planDir: repo })).problems).toEqual([]);
    const bad = await validatePlanText(plan.replace('path: notes.md', 'pat: notes.md'), 'plan.yaml', { env: box.env, planDir: repo });
    expect(bad.problems.map((p) => p.path)).toEqual(['phases[0].streams[0].worker.options.path', 'phases[0].streams[0].worker.options.pat']);
  });

  it('requireValidPlan (for orchestra run) throws the problems as one user error, or returns the plan', async () => {
    const { requireValidPlan } = await import('@godmode/cli');
    const { PlanProblemsError } = await import('../../src/authoring/index.js');
    writeFileSync(join(repo, 'plan.yaml'), base(stream('api', 'owns: [src/api/**]') + stream('all', 'owns: ["src/**"]')));
    const error = await requireValidPlan('plan.yaml', { cwd: repo, env: box.env }).catch((e: unknown) => e);
    expect(PlanProblemsError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'PLAN_INVALID', audience: 'user', file: 'plan.yaml' });
    expect((error as Error).message).toMatch(/^plan\.yaml has 1 problem; nothing was started:\nplan\.yaml:\d+ phases\[0\]\.streams\[1\]\.owns\[0\]: .*\n {4}fix: /);
    writeFileSync(join(repo, 'plan.yaml'), base(stream('api', 'owns: [src/api/**]') + stream('web', 'owns: ["src/web/**"]')));
    expect((await requireValidPlan('plan.yaml', { cwd: repo, env: box.env })).plan?.phases[0]?.streams).toHaveLength(2);
  });

  it("finds an overlap through the repository's own files when no sample shows it", async () => {
    const plan = base(stream('a', 'owns: ["src/@(alpha|beta).ts"]') + stream('b', 'owns: ["src/b*"]'));
    expect((await validatePlanText(plan, 'plan.yaml', { env: box.env, planDir: repo })).problems).toEqual([]);
    writeFileSync(join(repo, 'src', 'beta.ts'), 'export {}\n');
    const { problems } = await validatePlanText(plan, 'plan.yaml', { env: box.env, planDir: repo });
    expect(problems.map((p) => p.message)).toEqual([expect.stringContaining('may both write src/beta.ts')]);
  });

  it('names a missing file as a problem, exit 2', async () => {
    const run = await orchestra(['validate', 'nope.yaml', '--json'], repo, box.env);
    expect(run.exitCode).toBe(2);
    expect(JSON.parse(String(run.stdout)).problems[0]).toMatchObject({ file: 'nope.yaml', message: 'cannot read the plan: no such file' });
  });

  it('reports every problem of a plan at once', async () => {
    const plan = base(stream('a', 'owns: [src/**]\nbudgetMs: 1000') + stream('b', 'owns: [src/web/**]'), 'test: missing-runner-16\n');
    writeFileSync(join(repo, 'plan.yaml'), plan);
    const run = await orchestra(['validate', 'plan.yaml', '--json'], repo, box.env);
    const paths = (JSON.parse(String(run.stdout)).problems as Array<{ path: string }>).map((p) => p.path);
    expect(paths).toEqual(['phases[0].streams[1].owns[0]', 'test', 'phases[0].streams[0].budgetMs']);
    expect(readFileSync(join(repo, 'plan.yaml'), 'utf8')).toBe(plan);
  });
});
