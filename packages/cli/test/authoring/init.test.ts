import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binDir, gitRepo, orchestra, sandbox, treeDigest, type Sandbox } from './support/cli.js';

// `godmode orchestra init` in fixture repositories, then `validate` on what it wrote.
let box: Sandbox;
let env: Record<string, string>;
beforeAll(() => {
  box = sandbox();
  // Toolchains this machine may lack (go, uv…): validate only asks whether they are on PATH, never runs them.
  const tools = binDir(join(box.root, 'tools'), ['go', 'cargo', 'ruff', 'mypy']);
  env = { ...box.env, PATH: `${box.env.PATH}:${tools}` };
});
afterAll(() => box.dispose());

const fixtures: Array<[string, Record<string, string>, Record<string, string | null>]> = [
  [
    'npm',
    { 'package.json': JSON.stringify({ name: 'n', scripts: { test: 'node --test', lint: 'eslint .' } }), 'package-lock.json': '{}', 'src/index.js': 'export {}\n' },
    { setup: 'npm ci', test: 'npm test', lint: 'npm run lint', typecheck: null },
  ],
  [
    'pnpm',
    {
      'package.json': JSON.stringify({ name: 'p', scripts: { test: 'vitest run', typecheck: 'tsc --noEmit' } }),
      'pnpm-lock.yaml': 'lockfileVersion: 9.0\n',
      'src/index.ts': 'export {}\n',
    },
    { setup: 'pnpm install --frozen-lockfile', test: 'pnpm test', lint: null, typecheck: 'pnpm run typecheck' },
  ],
  [
    'python',
    { 'pyproject.toml': '[project]\nname = "py"\n\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n', 'tests/test_x.py': 'def test_x():\n    assert True\n' },
    { setup: 'python3 -m pip install -e .', test: 'python3 -m pytest', lint: null, typecheck: null },
  ],
  ['go', { 'go.mod': 'module example.com/g\n\ngo 1.22\n', 'main.go': 'package main\n\nfunc main() {}\n' }, { setup: 'go mod download', test: 'go test ./...', lint: 'go vet ./...', typecheck: 'go build ./...' }],
  ['rust', { 'Cargo.toml': '[package]\nname = "r"\nversion = "0.1.0"\nedition = "2021"\n', 'src/main.rs': 'fn main() {}\n' }, { setup: 'cargo fetch', test: 'cargo test', lint: 'cargo clippy -- -D warnings', typecheck: 'cargo check' }],
];

describe('godmode orchestra init', { timeout: 120_000 }, () => {
  it.each(fixtures)('fills the %s repository’s commands, and the plan validates', async (name, files, expected) => {
    const repo = join(box.root, name);
    await gitRepo(repo, files);
    const run = await orchestra(['init', '--json'], repo, env);
    expect(run.exitCode, String(run.stderr)).toBe(0);
    const out = JSON.parse(String(run.stdout)) as { commands: Record<string, { command: string } | null>; problems: unknown[] };
    expect(Object.fromEntries(Object.entries(out.commands).map(([k, v]) => [k, v?.command ?? null]))).toEqual(expected);
    const plan = readFileSync(join(repo, 'godmode.plan.yaml'), 'utf8');
    for (const [slot, command] of Object.entries(expected)) {
      if (command) expect(plan).toMatch(new RegExp(`^${slot}: ${command.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
      else expect(plan).toMatch(new RegExp(`^# ${slot}: <`, 'm'));
    }
    expect(out.problems).toEqual([]);
    const validate = await orchestra(['validate', 'godmode.plan.yaml'], repo, env);
    expect(validate.stderr).toBe('');
    expect(validate.exitCode).toBe(0);
  });

  it('writes the seed’s phases, a comment above every field, and prompts naming what each agent owns and where its claim goes', async () => {
    const repo = join(box.root, 'seed');
    await gitRepo(repo, { 'README.md': '# s\n' });
    const run = await orchestra(['init', '--streams', '3'], repo, env);
    expect(run.exitCode, String(run.stderr)).toBe(0);
    expect(run.stdout).toContain('Wrote godmode.plan.yaml (template seed, 3 streams).');
    expect(run.stdout).toMatch(/test\s+not detected/);
    const plan = readFileSync(join(repo, 'godmode.plan.yaml'), 'utf8');
    expect([...plan.matchAll(/^ {2}- id: (\S+)/gm)].map((m) => m[1])).toEqual(['recon', 'build', 'test', 'harden', 'document']);
    expect([...plan.matchAll(/^ {6}- id: (builder-\d)/gm)].map((m) => m[1])).toEqual(['builder-1', 'builder-2', 'builder-3']);
    expect(plan).toMatch(/- id: recon\n[\s\S]*?permissionMode: plan\n\s+allowedTools: \[Read, Glob, Grep, Write\][\s\S]*?deliverables: \[notes\/recon\.md\]/);
    expect(plan).toContain('You own src/TODO-part-2/**, notes/builder-2.md: change nothing outside them');
    expect(plan).toContain('GODMODE_RESULT');
    // Line by line: every field line (not prompt text, not list items) has a comment right above it or is a list entry.
    const lines = plan.split('\n');
    lines.forEach((line, i) => {
      if (/^\s*[a-zA-Z]+:/.test(line) && !/^\s+(?:You|Read|When|Run|Write|Review|Update)/.test(line)) {
        const above = lines[i - 1] ?? '';
        const entry = /^\s*- id:/.test(above) || /^\s*(worker|options|settings|streams|phases):\s*$/.test(above) || /^\s*- id:/.test(line);
        expect(entry || /^\s*#/.test(above) || /^\s+(id|description|adapter|options|prompt|permissionMode|allowedTools|parallelism|streams|worker):/.test(line), `line ${i + 1}: ${line}`).toBe(true);
      }
    });
  });

  it('deals a monorepo’s packages to the builders, disjoint, and the plan validates', async () => {
    const repo = join(box.root, 'mono');
    await gitRepo(repo, {
      'package.json': JSON.stringify({ name: 'mono', private: true, scripts: { test: 'node --test' } }),
      'pnpm-lock.yaml': 'lockfileVersion: 9.0\n',
      ...Object.fromEntries(['api', 'cli', 'core', 'web', 'worker'].map((p) => [`packages/${p}/src/index.ts`, 'export {}\n'])),
      'docs/index.md': '# docs\n',
    });
    const run = await orchestra(['init', '--template', 'builders', '--streams', '2'], repo, env);
    expect(run.exitCode, String(run.stderr)).toBe(0);
    const plan = readFileSync(join(repo, 'godmode.plan.yaml'), 'utf8');
    expect(plan).toContain('owns: [packages/api/**, packages/core/**, packages/worker/**, notes/builder-1.md]');
    expect(plan).toContain('owns: [packages/cli/**, packages/web/**, notes/builder-2.md]');
    expect((await orchestra(['validate', 'godmode.plan.yaml'], repo, env)).exitCode).toBe(0);
    // More builders than packages: placeholders, never two builders on one package.
    const more = await orchestra(['init', '--template', 'builders', '--streams', '6', '--force'], repo, env);
    expect(more.exitCode).toBe(0);
    expect(readFileSync(join(repo, 'godmode.plan.yaml'), 'utf8')).toContain('owns: [src/TODO-part-6/**, notes/builder-6.md]');
  });

  it.each(['builders', 'review'])('writes the %s template, which validates', async (template) => {
    const repo = join(box.root, `t-${template}`);
    await gitRepo(repo, { 'README.md': '# t\n' });
    const run = await orchestra(['init', '--template', template, '--streams', '5'], repo, env);
    expect(run.exitCode, String(run.stderr)).toBe(0);
    const validate = await orchestra(['validate', 'godmode.plan.yaml', '--json'], repo, env);
    expect(JSON.parse(String(validate.stdout))).toMatchObject({ valid: true, problems: [] });
    expect(readFileSync(join(repo, 'godmode.plan.yaml'), 'utf8').match(/^ {6}- id: /gm)).toHaveLength(5);
  });

  it('refuses to overwrite a plan without --force (exit 2, file untouched)', async () => {
    const repo = join(box.root, 'existing');
    await gitRepo(repo, { 'godmode.plan.yaml': 'mine\n' });
    const run = await orchestra(['init'], repo, env);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/godmode\.plan\.yaml already exists; it was left as it is\.\n.*--force/);
    expect(readFileSync(join(repo, 'godmode.plan.yaml'), 'utf8')).toBe('mine\n');
    const forced = await orchestra(['init', '--force'], repo, env);
    expect(forced.exitCode).toBe(0);
    expect(readFileSync(join(repo, 'godmode.plan.yaml'), 'utf8')).toContain('phases:');
  });

  it('--dry-run of the seed template prints the graph and changes nothing on disk', async () => {
    const repo = join(box.root, 'dry');
    await gitRepo(repo, { 'package.json': JSON.stringify({ name: 'd', scripts: { test: 'node --test' } }), 'package-lock.json': '{}', 'src/a.js': 'x'.repeat(5000) });
    expect((await orchestra(['init', '--streams', '2'], repo, env)).exitCode).toBe(0);
    writeFileSync(join(repo, 'untracked.txt'), 'the user’s own work\n');
    const before = treeDigest(repo);
    const run = await orchestra(['validate', 'godmode.plan.yaml', '--dry-run'], repo, env);
    expect(run.exitCode, String(run.stderr)).toBe(0);
    expect(treeDigest(repo)).toBe(before);
    expect(existsSync(join(repo, '.godmode'))).toBe(false);
    const out = String(run.stdout);
    expect(out).toMatch(/┌─ phase recon: 1 stream, 1 at once/);
    expect(out).toMatch(/├─ phase build: 2 streams, 2 at once/);
    expect(out).toMatch(/builder-1 {2}\[claude, acceptEdits\] {2}budget 1 h 00 min × 2\n.*owns: src\/TODO-part-1\/\*\*, notes\/builder-1\.md/);
    expect(out).toContain('└─ end: merge queue, scorecard.json, receipt.md');
    expect(out).toContain('work trees: 6 over the run, at most 2 at once');
    expect(out).toMatch(/disk: [\d.]+ KB per work tree/);
    expect(out).toMatch(/worst case: \d+ h \d\d min/);
    const json = await orchestra(['validate', 'godmode.plan.yaml', '--dry-run', '--json'], repo, env);
    const data = JSON.parse(String(json.stdout));
    expect(data.dryRun.worktrees).toEqual({ total: 6, atOnce: 2 });
    expect(data.dryRun.bytesPerWorktree).toBeGreaterThan(5000);
    expect(treeDigest(repo)).toBe(before);
  });
});
