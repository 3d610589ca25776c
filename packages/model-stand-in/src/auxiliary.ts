/**
 * Claude Code sends some requests besides its agent loop: session titles, topic detection,
 * Bash command-prefix checks, conversation summaries. They go to the "small/fast" model and
 * carry no agent tools. They must not consume the script, or a test's turns would be eaten by
 * bookkeeping that differs between Claude Code versions.
 */
export function isAuxiliaryRequest(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const request = body as { model?: unknown; tools?: unknown; system?: unknown };
  if (typeof request.model === 'string' && /haiku/i.test(request.model)) return true;
  // The agent loop always sends its system prompt with Claude Code's identity line;
  // side requests have short task-specific prompts.
  const system = systemText(request.system);
  const hasTools = Array.isArray(request.tools) && request.tools.length > 0;
  return !hasTools && !/Claude (agent|Code)/.test(system);
}

function systemText(system: unknown): string {
  if (typeof system === 'string') return system;
  if (!Array.isArray(system)) return '';
  return system.map((block) => (typeof block?.text === 'string' ? block.text : '')).join('\n');
}

/** A plausible short answer for any side request (a title, a yes/no, a prefix). */
export const AUXILIARY_TEXT = 'stand-in';
