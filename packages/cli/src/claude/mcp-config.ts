import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeOnCleanup } from './cleanup.js';

export interface TemporaryMcpConfig {
  file: string;
  dispose(): Promise<void>;
}

/**
 * Writes an MCP config for one command in a fresh 0700 folder, the file 0600 (it holds the user's
 * token), and removes it when disposed — or on exit, SIGTERM or SIGHUP if the command never gets there.
 */
export async function writeTemporaryMcpConfig(config: unknown, parent: string = tmpdir()): Promise<TemporaryMcpConfig> {
  const dir = await mkdtemp(join(parent, 'godmode-mcp-'));
  const unregister = removeOnCleanup(dir);
  const file = join(dir, 'mcp.json');
  const handle = await open(file, 'wx', 0o600);
  try {
    await handle.writeFile(JSON.stringify(config, null, 2));
  } finally {
    await handle.close();
  }
  return {
    file,
    dispose: async () => {
      unregister();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
