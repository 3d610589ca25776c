import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The CLI bundle (tsup.config.ts) leaves a few packages to Node (`external`). Node resolves them from
// apps/godmode/dist, not from the package that imports them in source: each must be a dependency of this app,
// or the command that needs it (`orchestra dashboard`, the keyring behind `login`) breaks once installed.
const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const optional = new Map([['@electric-sql/pglite', "the Supabase stand-in's, a devDependency of @godmode/auth used only by tests"]]);

// The specifier of every static import (`import x from "y"`, `import{x}from"y"`, `import "y"`: a statement, so at
// the start of a line or after a `;`, as the bundle is minified) and of every `import("y")`.
const imports = /(?:^|;)\s*import\s*(?:[^;"'()]*?from\s*)?["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm;

function cliFiles(): string[] {
  const seen = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(imports)) {
      const spec = (m[1] ?? m[2])!;
      if (spec.startsWith('.')) walk(join(dirname(file), spec));
    }
  };
  const entries = ['main.js', 'commands.js', 'hooks/init.js', 'hooks/prerun.js', 'conductor/daemon.js', ...readdirSync(join(dist, 'commands'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js')).map((f) => `commands/${f}`)];
  for (const entry of entries) walk(join(dist, entry));
  return [...seen];
}

describe('the CLI bundle', () => {
  it('resolves every package it leaves to Node from the app itself', () => {
    const left = new Set<string>();
    for (const file of cliFiles()) {
      for (const m of readFileSync(file, 'utf8').matchAll(imports)) {
        const spec = (m[1] ?? m[2])!;
        if (spec.startsWith('.')) continue;
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        if (!spec.startsWith('node:') && !builtinModules.includes(name)) left.add(spec);
      }
    }
    const require = createRequire(join(dist, 'main.js'));
    const unresolved = [...left].filter((spec) => !optional.has(spec)).filter((spec) => {
      try {
        require.resolve(spec);
        return false;
      } catch {
        return true;
      }
    });
    expect(left.size).toBeGreaterThan(0);
    expect(unresolved).toEqual([]);
  });
});
