import { defineConfig } from 'tsup';

export default defineConfig({
  entry: [
    'src/index.ts',
    // The hook is an entry of its own: oclif loads it by path (package.json → oclif.hooks).
    'src/hooks/command-not-found.ts',
    // One entry per command and one for the services the app provides: the godmode app loads only the command
    // being run (its COMMANDS are lazy), and its bundle shares this build's chunks, so services and commands
    // are one module instance.
    'src/services.ts',
    'src/commands/**/*.ts',
    '!src/**/*.test.ts',
  ],
  format: ['esm'],
  splitting: true,
  dts: { entry: ['src/index.ts', 'src/services.ts'] },
  clean: true,
  sourcemap: true,
  target: 'node22',
});
