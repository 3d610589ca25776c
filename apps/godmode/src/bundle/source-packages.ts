import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * How the CLI bundle reaches @godmode/protocol and @godmode/run-store: from their TypeScript source, each import
 * of a package's barrel (`import { readLease } from '@godmode/protocol'`) rewritten to the module that defines
 * the name. esbuild splits a bundle into chunks file by file, and a barrel reaches every module it re-exports:
 * through `dist/index.js` or `src/index.ts`, `orchestra ls` loaded all of the protocol — zod, yaml and every
 * schema, ≈ 500 KB — to read a lease. With direct imports, `ls` and `status` load the protocol's zod-free
 * readers only (README → Start-up; `test/bundle.test.ts` checks their graphs). A name a barrel does not list
 * plainly, or a namespace import, keeps the barrel; so does a dynamic `import()` (meant to load it all).
 */
export const SOURCE_PACKAGES = ['@godmode/protocol', '@godmode/run-store'] as const;

/** Where each name a barrel exports as a value comes from: `export { a, b as c } from './file.js'` lines. */
export function barrelMap(indexFile: string): Map<string, { file: string; local: string }> {
  const map = new Map<string, { file: string; local: string }>();
  const text = readFileSync(indexFile, 'utf8');
  for (const m of text.matchAll(/export\s+(type\s+)?\{([^}]*)\}\s*from\s*['"](\.[^'"]+)['"]/g)) {
    if (m[1]) continue;
    const file = resolve(dirname(indexFile), m[3]!.replace(/\.js$/, '.ts'));
    if (!existsSync(file)) throw new Error(`source-packages: ${indexFile} re-exports ${m[3]}, which is not ${file}`);
    for (const spec of specifiers(m[2]!)) map.set(spec.name, { file, local: spec.local });
  }
  return map;
}

/** `a`, `a as b`, `type T` (left out: types are erased) of an import or export list. */
function specifiers(list: string): Array<{ local: string; name: string }> {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '' && !s.startsWith('type '))
    .map((s) => {
      const [local, name = local] = s.split(/\s+as\s+/) as [string, string?];
      return { local, name };
    });
}

/**
 * `import { … } from '<package>'` statements of `source` rewritten to one import per defining module. Returns the
 * source unchanged where nothing names a package of `maps`.
 */
export function directImports(source: string, maps: ReadonlyMap<string, Map<string, { file: string; local: string }>>): string {
  return source.replace(/import\s*\{([^}]*)\}\s*from\s*(['"])(@godmode\/[a-z-]+)\2\s*;?/g, (whole, list: string, _q: string, pkg: string) => {
    const map = maps.get(pkg);
    if (!map) return whole;
    const byFile = new Map<string, string[]>();
    const kept: string[] = [];
    // In an import list `name as alias`: `name` is what the barrel exports.
    for (const { local: exported, name: alias } of specifiers(list)) {
      const where = map.get(exported);
      if (!where) {
        kept.push(exported === alias ? exported : `${exported} as ${alias}`);
        continue;
      }
      const list = byFile.get(where.file) ?? [];
      list.push(where.local === alias ? alias : `${where.local} as ${alias}`);
      byFile.set(where.file, list);
    }
    const lines = [...byFile].map(([file, names]) => `import { ${names.join(', ')} } from ${JSON.stringify(file)};`);
    if (kept.length > 0) lines.push(`import { ${kept.join(', ')} } from ${JSON.stringify(pkg)};`);
    return lines.join(' ');
  });
}

/**
 * The esbuild plugin: a bare import of a SOURCE_PACKAGES package resolves to its `src/index.ts`, and the named
 * imports of them in the packages' sources and in @godmode/cli's built commands go straight to their modules.
 */
export function sourcePackagesPlugin(root: (name: string) => string, names: readonly string[] = SOURCE_PACKAGES) {
  const filter = new RegExp(`^(${names.map((n) => n.replace(/[/.-]/g, '\\$&')).join('|')})$`);
  const maps = new Map(names.map((name) => [name, barrelMap(join(root(name), 'src', 'index.ts'))]));
  const roots = [...names, '@godmode/cli'].map((name) => root(name));
  return {
    name: 'godmode-source-packages',
    setup(build: {
      onResolve: (o: { filter: RegExp }, cb: (a: { path: string }) => unknown) => void;
      onLoad: (o: { filter: RegExp }, cb: (a: { path: string }) => unknown) => void;
    }) {
      build.onResolve({ filter }, (args) => {
        const source = join(root(args.path), 'src', 'index.ts');
        if (!existsSync(source)) throw new Error(`source-packages: ${args.path} has no ${source}`);
        return { path: source };
      });
      build.onLoad({ filter: /\.(ts|js)$/ }, (args) => {
        if (!roots.some((r) => args.path.startsWith(`${r}/src/`) || args.path.startsWith(`${r}/dist/`))) return undefined;
        if (args.path.endsWith('/src/index.ts')) return undefined;
        const source = readFileSync(args.path, 'utf8');
        const contents = directImports(source, maps);
        if (contents === source) return undefined;
        return { contents, loader: args.path.endsWith('.ts') ? 'ts' : 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}
