import { Flags } from '@oclif/core';
import type { CommonClaudeOptions } from './common-options.js';
import { PERMISSION_MODES } from './common-options.js';

/** The flags `ask`, `run`, `chat` and `skills run` share; each passes straight through to Claude Code. */
export const claudeFlags = {
  model: Flags.string({ description: "Claude Code's model: an alias (sonnet, opus) or a full name.", helpGroup: 'CLAUDE CODE' }),
  'max-turns': Flags.integer({ description: 'Stop after this many agent turns.', min: 1, helpGroup: 'CLAUDE CODE' }),
  'max-budget-usd': Flags.custom<number>({
    description: 'Stop once Claude Code estimates this many US dollars spent.',
    helpGroup: 'CLAUDE CODE',
    parse: async (input) => {
      const value = Number(input);
      if (!Number.isFinite(value) || value <= 0) throw new Error(`--max-budget-usd must be a positive number, not "${input}".`);
      return value;
    },
  })(),
  'permission-mode': Flags.string({ description: "Claude Code's permission mode.", options: [...PERMISSION_MODES], helpGroup: 'CLAUDE CODE' }),
  'allowed-tools': Flags.string({
    description: 'Tools Claude Code may use without asking, e.g. "Bash(git:*)" Edit (repeat, or separate with commas).',
    multiple: true,
    delimiter: ',',
    helpGroup: 'CLAUDE CODE',
  }),
  cwd: Flags.string({ description: 'Directory Claude Code works in (default: the current one).' }),
};

export interface ClaudeFlagValues {
  model?: string | undefined;
  'max-turns'?: number | undefined;
  'max-budget-usd'?: number | undefined;
  'permission-mode'?: string | undefined;
  'allowed-tools'?: string[] | undefined;
}

export function claudeOptionsFrom(flags: ClaudeFlagValues): CommonClaudeOptions {
  const options: CommonClaudeOptions = {};
  if (flags.model) options.model = flags.model;
  if (flags['max-turns'] !== undefined) options.maxTurns = flags['max-turns'];
  if (flags['max-budget-usd'] !== undefined) options.maxBudgetUsd = flags['max-budget-usd'];
  if (flags['permission-mode']) options.permissionMode = flags['permission-mode'];
  if (flags['allowed-tools']?.length) options.allowedTools = flags['allowed-tools'].map((tool) => tool.trim()).filter(Boolean);
  return options;
}
