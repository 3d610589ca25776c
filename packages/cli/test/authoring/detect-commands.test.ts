import { afterEach, describe, expect, it } from 'vitest';
import { detectRepoCommands, makeTargets } from '../../src/authoring/index.js';
import { sandbox, writeTree, type Sandbox } from './support/cli.js';

const boxes: Sandbox[] = [];
afterEach(() => boxes.splice(0).forEach((b) => b.dispose()));

const pkg = (scripts: Record<string, string>, extra: Record<string, unknown> = {}): string => JSON.stringify({ name: 'fixture', scripts, ...extra });

// One table: the files at a repository's root → the commands `orchestra init` fills in.
describe('detectRepoCommands', () => {
  it.each([
    [
      'npm with a lockfile',
      { 'package.json': pkg({ test: 'vitest run', lint: 'eslint .', typecheck: 'tsc --noEmit' }), 'package-lock.json': '{}' },
      { setup: 'npm ci', test: 'npm test', lint: 'npm run lint', typecheck: 'npm run typecheck' },
    ],
    [
      'pnpm, typecheck from tsconfig + typescript',
      { 'package.json': pkg({ test: 'vitest run', lint: 'eslint .' }, { devDependencies: { typescript: '^5' } }), 'pnpm-lock.yaml': 'lockfileVersion: 9.0\n', 'tsconfig.json': '{}' },
      { setup: 'pnpm install --frozen-lockfile', test: 'pnpm test', lint: 'pnpm run lint', typecheck: 'pnpm exec tsc --noEmit' },
    ],
    ['yarn classic', { 'package.json': pkg({ test: 'jest', 'type-check': 'tsc' }), 'yarn.lock': '' }, { setup: 'yarn install --frozen-lockfile', test: 'yarn test', typecheck: 'yarn type-check' }],
    ['yarn berry', { 'package.json': pkg({ test: 'jest' }), 'yarn.lock': '', '.yarnrc.yml': 'nodeLinker: node-modules\n' }, { setup: 'yarn install --immutable', test: 'yarn test' }],
    ['bun', { 'package.json': pkg({ test: 'bun test', lint: 'biome check' }), 'bun.lock': '{}' }, { setup: 'bun install --frozen-lockfile', test: 'bun run test', lint: 'bun run lint' }],
    ['packageManager field, no lockfile', { 'package.json': pkg({ test: 'x' }, { packageManager: 'pnpm@10.0.0' }) }, { setup: 'pnpm install', test: 'pnpm test' }],
    ["npm's placeholder test script is not a test", { 'package.json': pkg({ test: 'echo "Error: no test specified" && exit 1' }) }, { setup: 'npm install' }],
    [
      'Python with pytest and ruff',
      { 'pyproject.toml': '[project]\nname = "x"\n\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n\n[tool.ruff]\nline-length = 100\n' },
      { setup: 'python3 -m pip install -e .', test: 'python3 -m pytest', lint: 'ruff check .' },
    ],
    ['Python with uv and mypy', { 'pyproject.toml': '[project]\nname = "x"\ndependencies = ["pytest", "mypy"]\n', 'uv.lock': '' }, { setup: 'uv sync', test: 'uv run pytest', typecheck: 'uv run mypy .' }],
    ['Python requirements + pytest.ini', { 'requirements.txt': 'requests\n', 'pytest.ini': '[pytest]\n' }, { setup: 'python3 -m pip install -r requirements.txt', test: 'python3 -m pytest' }],
    ['Go', { 'go.mod': 'module example.com/x\n\ngo 1.22\n' }, { setup: 'go mod download', test: 'go test ./...', lint: 'go vet ./...', typecheck: 'go build ./...' }],
    ['Go with golangci-lint', { 'go.mod': 'module x\n', '.golangci.yml': 'linters: {}\n' }, { setup: 'go mod download', test: 'go test ./...', lint: 'golangci-lint run', typecheck: 'go build ./...' }],
    ['Rust', { 'Cargo.toml': '[package]\nname = "x"\nversion = "0.1.0"\n' }, { setup: 'cargo fetch', test: 'cargo test', lint: 'cargo clippy -- -D warnings', typecheck: 'cargo check' }],
    ['Makefile only', { Makefile: 'CC := gcc\n.PHONY: test lint\ntest:\n\t./run-tests\nlint: deps\n\ttrue\n%.o: %.c\n' }, { test: 'make test', lint: 'make lint' }],
    ['Makefile targets win over go defaults', { Makefile: 'test:\n\tgo test -race ./...\n', 'go.mod': 'module x\n' }, { setup: 'go mod download', test: 'make test', lint: 'go vet ./...', typecheck: 'go build ./...' }],
    ['nothing to detect', { 'README.md': '# hi\n' }, {}],
  ])('%s', (_name, files, expected) => {
    const box = sandbox();
    boxes.push(box);
    writeTree(box.root, files);
    const found = detectRepoCommands(box.root);
    const commands = Object.fromEntries((['setup', 'test', 'lint', 'typecheck'] as const).filter((k) => found[k]).map((k) => [k, found[k]!.command]));
    expect(commands).toEqual(expected);
    for (const k of ['setup', 'test', 'lint', 'typecheck'] as const) if (found[k]) expect(found[k]!.source).not.toBe('');
  });

  it('reads Makefile targets, not variables or pattern rules', () => {
    expect([...makeTargets('A := 1\nB ?= 2\nall test: build\n%.o: %.c\n\techo\nlint:\n')].sort()).toEqual(['all', 'lint', 'test']);
  });
});
