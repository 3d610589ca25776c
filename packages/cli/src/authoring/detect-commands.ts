import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** One of the repository's own commands, with where it was found (shown as a comment in the plan). */
export interface DetectedCommand {
  command: string;
  source: string;
}

/** What `orchestra init` fills the plan's `setup`, `test`, `lint` and `typecheck` with; absent = not detected. */
export interface RepoCommands {
  /** The toolchains seen, e.g. `pnpm`, `python`, `go`, `cargo`, `make`. */
  toolchains: string[];
  setup?: DetectedCommand;
  test?: DetectedCommand;
  lint?: DetectedCommand;
  typecheck?: DetectedCommand;
}

type Slot = 'setup' | 'test' | 'lint' | 'typecheck';
type Found = Partial<Record<Slot, DetectedCommand>>;

/**
 * Detects a repository's setup, test, lint and typecheck commands from the files at its root — reading only.
 * Sources, first match wins per slot: package.json scripts (run with the package manager its lockfile
 * names), Makefile targets, then the toolchain's own defaults (pytest, go, cargo).
 */
export function detectRepoCommands(dir: string): RepoCommands {
  const toolchains: string[] = [];
  const sources: Found[] = [];
  const node = detectNode(dir);
  if (node) {
    toolchains.push(node.manager);
    sources.push(node.found);
  }
  const make = detectMake(dir);
  if (make) {
    toolchains.push('make');
    sources.push(make);
  }
  for (const [name, detect] of [
    ['python', detectPython],
    ['go', detectGo],
    ['cargo', detectCargo],
  ] as const) {
    const found = detect(dir);
    if (found) {
      toolchains.push(name);
      sources.push(found);
    }
  }
  const out: RepoCommands = { toolchains };
  for (const slot of ['setup', 'test', 'lint', 'typecheck'] as const) {
    const hit = sources.find((s) => s[slot])?.[slot];
    if (hit) out[slot] = hit;
  }
  return out;
}

function readText(file: string): string | undefined {
  try {
    return statSync(file).isFile() ? readFileSync(file, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

const NPM_DEFAULT_TEST = /no test specified/;

type Manager = 'npm' | 'pnpm' | 'yarn' | 'bun';

/** Which package manager a Node repository uses: its lockfile, else package.json's `packageManager`, else npm. */
export function nodePackageManager(dir: string, packageJson: Record<string, unknown> = {}): { manager: Manager; lockfile: string | undefined } {
  const lockfiles: Array<[string, Manager]> = [
    ['pnpm-lock.yaml', 'pnpm'],
    ['yarn.lock', 'yarn'],
    ['bun.lock', 'bun'],
    ['bun.lockb', 'bun'],
    ['package-lock.json', 'npm'],
    ['npm-shrinkwrap.json', 'npm'],
  ];
  for (const [file, manager] of lockfiles) if (existsSync(join(dir, file))) return { manager, lockfile: file };
  const declared = typeof packageJson.packageManager === 'string' ? packageJson.packageManager.split('@')[0] : undefined;
  if (declared === 'pnpm' || declared === 'yarn' || declared === 'bun' || declared === 'npm') return { manager: declared, lockfile: undefined };
  return { manager: 'npm', lockfile: undefined };
}

function detectNode(dir: string): { manager: Manager; found: Found } | undefined {
  const text = readText(join(dir, 'package.json'));
  if (text === undefined) return undefined;
  let pkg: Record<string, unknown>;
  try {
    pkg = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const { manager, lockfile } = nodePackageManager(dir, pkg);
  const scripts = (pkg.scripts && typeof pkg.scripts === 'object' ? pkg.scripts : {}) as Record<string, unknown>;
  const via = lockfile ? ` (${manager}: ${lockfile})` : manager === 'npm' ? ' (npm: no lockfile)' : ` (${manager}: package.json packageManager)`;
  const found: Found = {};
  const yarnBerry = manager === 'yarn' && existsSync(join(dir, '.yarnrc.yml'));
  found.setup = {
    command: {
      npm: lockfile ? 'npm ci' : 'npm install',
      pnpm: lockfile ? 'pnpm install --frozen-lockfile' : 'pnpm install',
      yarn: yarnBerry ? 'yarn install --immutable' : 'yarn install --frozen-lockfile',
      bun: lockfile ? 'bun install --frozen-lockfile' : 'bun install',
    }[manager],
    source: `package.json${via}`,
  };
  // `bun test` is bun's own test runner, not the script; `bun run <script>` is the script everywhere.
  const runScript = (name: string): string => (manager === 'yarn' ? `yarn ${name}` : manager === 'bun' ? `bun run ${name}` : `${manager} run ${name}`);
  const script = (name: string): string | undefined => (typeof scripts[name] === 'string' && String(scripts[name]).trim() !== '' ? name : undefined);
  const test = script('test');
  if (test && !NPM_DEFAULT_TEST.test(String(scripts.test))) {
    found.test = { command: manager === 'bun' ? 'bun run test' : `${manager} test`, source: `package.json scripts.test${via}` };
  }
  const lint = script('lint');
  if (lint) found.lint = { command: runScript(lint), source: `package.json scripts.${lint}${via}` };
  const typecheck = ['typecheck', 'type-check', 'check-types', 'types', 'tsc'].map(script).find(Boolean);
  if (typecheck) {
    found.typecheck = { command: runScript(typecheck), source: `package.json scripts.${typecheck}${via}` };
  } else if (existsSync(join(dir, 'tsconfig.json')) && hasDependency(pkg, 'typescript')) {
    const exec = { npm: 'npx --no-install', pnpm: 'pnpm exec', yarn: 'yarn', bun: 'bunx' }[manager];
    found.typecheck = { command: `${exec} tsc --noEmit`, source: `tsconfig.json + typescript in package.json${via}` };
  }
  return { manager, found };
}

function hasDependency(pkg: Record<string, unknown>, name: string): boolean {
  return ['dependencies', 'devDependencies', 'peerDependencies'].some((k) => {
    const deps = pkg[k];
    return deps !== null && typeof deps === 'object' && name in deps;
  });
}

/** Targets a Makefile defines (`name:` at the start of a line, not a variable or pattern rule). */
export function makeTargets(text: string): Set<string> {
  const targets = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z0-9][A-Za-z0-9_.-]*(?:\s+[A-Za-z0-9][A-Za-z0-9_.-]*)*)\s*:(?!=)/.exec(line);
    if (m?.[1]) for (const t of m[1].split(/\s+/)) targets.add(t);
  }
  return targets;
}

function detectMake(dir: string): Found | undefined {
  const name = ['GNUmakefile', 'Makefile', 'makefile'].find((f) => readText(join(dir, f)) !== undefined);
  if (!name) return undefined;
  const targets = makeTargets(readText(join(dir, name)) ?? '');
  const pick = (slot: Slot, candidates: string[]): DetectedCommand | undefined => {
    const t = candidates.find((c) => targets.has(c));
    return t ? { command: `make ${t}`, source: `${name} target "${t}" (for ${slot})` } : undefined;
  };
  const found: Found = {};
  const setup = pick('setup', ['setup', 'deps', 'bootstrap']);
  const test = pick('test', ['test', 'tests', 'check']);
  const lint = pick('lint', ['lint']);
  const typecheck = pick('typecheck', ['typecheck', 'type-check', 'types', 'mypy']);
  if (setup) found.setup = setup;
  if (test) found.test = test;
  if (lint) found.lint = lint;
  if (typecheck) found.typecheck = typecheck;
  return found;
}

function detectPython(dir: string): Found | undefined {
  const pyproject = readText(join(dir, 'pyproject.toml'));
  const requirements = readText(join(dir, 'requirements.txt'));
  const setupPy = existsSync(join(dir, 'setup.py')) || existsSync(join(dir, 'setup.cfg'));
  const pytestIni = ['pytest.ini', 'tox.ini', 'conftest.py'].find((f) => existsSync(join(dir, f)));
  if (pyproject === undefined && requirements === undefined && !setupPy && !pytestIni) return undefined;
  const text = `${pyproject ?? ''}\n${requirements ?? ''}`;
  const runner = existsSync(join(dir, 'uv.lock')) ? 'uv run ' : existsSync(join(dir, 'poetry.lock')) ? 'poetry run ' : '';
  const python = runner ? 'python' : 'python3';
  const found: Found = {};
  if (existsSync(join(dir, 'uv.lock'))) found.setup = { command: 'uv sync', source: 'uv.lock' };
  else if (existsSync(join(dir, 'poetry.lock'))) found.setup = { command: 'poetry install', source: 'poetry.lock' };
  else if (requirements !== undefined) found.setup = { command: `${python} -m pip install -r requirements.txt`, source: 'requirements.txt' };
  else if (pyproject !== undefined) found.setup = { command: `${python} -m pip install -e .`, source: 'pyproject.toml' };
  const usesPytest = /\[tool\.pytest|\bpytest\b/.test(text) || pytestIni !== undefined;
  if (usesPytest) {
    const why = pytestIni ?? (/\[tool\.pytest/.test(pyproject ?? '') ? 'pyproject.toml [tool.pytest]' : 'pytest in the dependencies');
    found.test = { command: runner ? `${runner}pytest` : `${python} -m pytest`, source: why };
  }
  if (/\[tool\.ruff|\bruff\b/.test(text)) found.lint = { command: `${runner}ruff check .`, source: 'ruff in pyproject.toml' };
  else if (/\bflake8\b/.test(text) || existsSync(join(dir, '.flake8'))) found.lint = { command: `${runner || `${python} -m `}flake8`, source: 'flake8' };
  if (/\[tool\.mypy|\bmypy\b/.test(text) || existsSync(join(dir, 'mypy.ini'))) found.typecheck = { command: `${runner}mypy .`, source: 'mypy' };
  else if (/\[tool\.pyright|\bpyright\b/.test(text) || existsSync(join(dir, 'pyrightconfig.json'))) found.typecheck = { command: `${runner}pyright`, source: 'pyright' };
  return found;
}

function detectGo(dir: string): Found | undefined {
  if (readText(join(dir, 'go.mod')) === undefined) return undefined;
  const golangci = ['.golangci.yml', '.golangci.yaml', '.golangci.toml', '.golangci.json'].find((f) => existsSync(join(dir, f)));
  return {
    setup: { command: 'go mod download', source: 'go.mod' },
    test: { command: 'go test ./...', source: 'go.mod' },
    lint: golangci ? { command: 'golangci-lint run', source: golangci } : { command: 'go vet ./...', source: 'go.mod' },
    typecheck: { command: 'go build ./...', source: 'go.mod' },
  };
}

function detectCargo(dir: string): Found | undefined {
  if (readText(join(dir, 'Cargo.toml')) === undefined) return undefined;
  return {
    setup: { command: 'cargo fetch', source: 'Cargo.toml' },
    test: { command: 'cargo test', source: 'Cargo.toml' },
    lint: { command: 'cargo clippy -- -D warnings', source: 'Cargo.toml' },
    typecheck: { command: 'cargo check', source: 'Cargo.toml' },
  };
}
