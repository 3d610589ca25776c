#!/usr/bin/env node
// godmode supervises processes through POSIX process groups and signals: macOS and Linux only (package.json `os`).
if (process.platform === 'win32') {
  process.stderr.write('godmode runs on macOS and Linux, not Windows; use it under WSL 2 (a Linux distribution on Windows).\n');
  process.exit(2);
}
// `--version` alone answers from package.json without starting oclif: scripts call it often. The same line as
// oclif's own (`godmode/<version> <platform>-<arch> node-<version>`).
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const { readFileSync } = await import('node:fs');
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`godmode/${pkg.version} ${process.platform}-${process.arch} node-${process.version}\n`);
} else {
  // Node keeps the CLI's compiled code between runs (Node >= 22.1; NODE_DISABLE_COMPILE_CACHE=1 turns it off).
  const { default: module } = await import('node:module');
  module.enableCompileCache?.();
  const { main } = await import('../dist/main.js');
  await main(import.meta.url);
}
