/** Claude Code's `--mcp-config` document mounting the godmode account server over streamable HTTP. */
export interface McpConfig {
  mcpServers: { godmode: { type: 'http'; url: string; headers: { Authorization: string } } };
}

/** `functionsUrl` is `<supabase url>/functions/v1`. The result holds the token: write it 0600 or pass it inline. */
export function mcpConfigFor(token: string, functionsUrl: string): McpConfig {
  return { mcpServers: { godmode: { type: 'http', url: `${functionsUrl.replace(/\/+$/, '')}/mcp-actions`, headers: { Authorization: `Bearer ${token}` } } } };
}

export function functionsUrlOf(supabaseUrl: string): string {
  return `${supabaseUrl.replace(/\/+$/, '')}/functions/v1`;
}
