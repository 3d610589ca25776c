import { noAccountNote, resolveAccount } from './account.js';
import { writeTemporaryMcpConfig, type TemporaryMcpConfig } from './mcp-config.js';

export interface AccountSession {
  /** The temporary `--mcp-config` file, when signed in. */
  mcpConfigFile: string | undefined;
  servers: string[];
  dispose(): Promise<void>;
}

/**
 * Opens the account side of one command: a temporary MCP config when signed in, or — once —
 * a note on `notes` that account actions are off.
 */
export async function openAccountSession(env: NodeJS.ProcessEnv, notes: ((line: string) => void) | undefined): Promise<AccountSession> {
  const account = await resolveAccount(env);
  if (!account.link) {
    notes?.(noAccountNote(account.reason));
    return { mcpConfigFile: undefined, servers: [], dispose: async () => {} };
  }
  const config: TemporaryMcpConfig = await writeTemporaryMcpConfig(account.link.mcpConfig);
  return { mcpConfigFile: config.file, servers: account.link.servers, dispose: () => config.dispose() };
}
