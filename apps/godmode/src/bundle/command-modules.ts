/** One command of the CLI bundle: its oclif id, its module (relative to dist, no extension) and export name. */
export interface CommandModule {
  id: string;
  file: string;
  name: string;
}

/**
 * @godmode/cli's COMMANDS map, read from its source (packages/cli/src/commands.ts): every
 * `import { Class } from './commands/<file>.js';` and every `id: Class,` line of the map. The build
 * (tsup.config.ts) makes one bundle entry per command and a lazy map over them (src/commands.ts).
 * A line this cannot read is an error, never a command left out; test/manifest.test.ts checks the
 * result against COMMANDS itself.
 */
export function commandModules(source: string): CommandModule[] {
  const files = new Map<string, string>();
  for (const m of source.matchAll(/^import\s*\{\s*(\w+)\s*\}\s*from\s*'\.\/commands\/([\w/-]+)\.js';/gm)) files.set(m[1]!, m[2]!);
  const body = /export const COMMANDS[^=]*=\s*\{([\s\S]*?)\n\};/.exec(source)?.[1];
  if (body === undefined) throw new Error('commandModules: no `export const COMMANDS … = { … };` in @godmode/cli src/commands.ts');
  return body
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('//'))
    .map((line) => {
      const m = /^(?:'([^']+)'|([\w-]+))\s*:\s*(\w+),?$/.exec(line);
      const id = m?.[1] ?? m?.[2];
      const file = m ? files.get(m[3]!) : undefined;
      if (!m || !id || !file) throw new Error(`commandModules: cannot read "${line}" in @godmode/cli src/commands.ts (expected \`'topic:id': ImportedClass,\` with \`import { ImportedClass } from './commands/….js';\`)`);
      return { id, file: `commands/${file}`, name: m[3]! };
    });
}
