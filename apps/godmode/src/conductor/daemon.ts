// Entry of a detached conductor: `node daemon.js <runDir> <fresh|resume>`. Its stdout is the run's conductor.log.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Config } from '@oclif/core';
import { loadPluginAdapters } from '@godmode/cli';
import { openRun } from '@godmode/run-store';
import { conductRun } from '../services.js';

/** The CLI's own package folder (the oclif root), found upwards from this file wherever the build put it. */
function cliRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dirname(dir) !== dir; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'godmode') return dir;
  }
  throw new Error('the godmode package folder was not found above ' + fileURLToPath(import.meta.url));
}

const [runDir, mode = 'fresh'] = process.argv.slice(2);
if (!runDir) {
  process.stderr.write('usage: daemon.js <runDir> [fresh|resume]\n');
  process.exit(2);
}
const controller = new AbortController();
process.on('SIGTERM', () => controller.abort());
process.on('SIGINT', () => controller.abort());
// A detached conductor loads the same oclif configuration as the foreground CLI, so the adapters of the user's
// plugins (the godmode:adapters hook) are known to it too.
const plugins = await loadPluginAdapters(await Config.load(cliRoot()));
for (const problem of plugins.problems) process.stdout.write(JSON.stringify({ type: 'warning', message: `plugin ${problem.plugin}: ${problem.message}` }) + '\n');
const store = await openRun(runDir);
try {
  const outcome = await conductRun(
    store,
    mode === 'resume' ? 'resume' : 'fresh',
    { onEvent: (event) => process.stdout.write(JSON.stringify({ at: new Date().toISOString(), ...event }) + '\n'), signal: controller.signal },
    mode === 'resume' ? 30_000 : 0,
  );
  process.stdout.write(JSON.stringify({ type: 'outcome', ...outcome, verdicts: undefined }) + '\n');
} catch (error) {
  process.stdout.write(JSON.stringify({ type: 'error', message: (error as Error).message }) + '\n');
  process.exitCode = 1;
} finally {
  await store.close();
}
