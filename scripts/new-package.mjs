// One-off scaffolder kept for adding packages with the same shape.
import { copyFileSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
const [dir, name, description, depsJson = '{}', devJson = '{}'] = process.argv.slice(2);
mkdirSync(join(dir, 'src'), { recursive: true });
const pkg = {
  name, version: '0.1.0', description, license: 'MIT', type: 'module',
  engines: { node: '>=22.12' },
  repository: { type: 'git', url: 'git+https://github.com/godmode-dev/godmode.git', directory: dir },
  files: ['dist', 'README.md', 'LICENSE'],
  main: './dist/index.js', types: './dist/index.d.ts',
  exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js', default: './dist/index.js' }, './package.json': './package.json' },
  publishConfig: { access: 'public' },
  scripts: { build: 'tsup', typecheck: 'tsc --noEmit', test: 'vitest run' },
  dependencies: JSON.parse(depsJson), devDependencies: JSON.parse(devJson),
};
if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { outDir: 'dist' }, include: ['src'] }, null, 2) + '\n');
writeFileSync(join(dir, 'tsup.config.ts'), `import { defineConfig } from 'tsup';\n\nexport default defineConfig({\n  entry: ['src/index.ts'],\n  format: ['esm'],\n  dts: true,\n  clean: true,\n  sourcemap: true,\n  target: 'node22',\n});\n`);
writeFileSync(join(dir, 'vitest.config.ts'), `import { defineProject } from 'vitest/config';\n\nexport default defineProject({\n  test: { name: '${name}', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },\n});\n`);
if (!existsSync(join(dir, 'LICENSE'))) copyFileSync('LICENSE', join(dir, 'LICENSE'));
if (!existsSync(join(dir, 'src/index.ts'))) writeFileSync(join(dir, 'src/index.ts'), `export {};\n`);
