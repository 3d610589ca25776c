import type { ClaudeTurnOptions } from './claude-args.js';

/** The options `ask`, `run`, `chat` and `skills run` share, as Claude Code flags. */
export type CommonClaudeOptions = Pick<ClaudeTurnOptions, 'model' | 'maxTurns' | 'maxBudgetUsd' | 'permissionMode' | 'allowedTools'>;

/** Claude Code 2.1.100's permission modes. */
export const PERMISSION_MODES = ['acceptEdits', 'auto', 'bypassPermissions', 'default', 'dontAsk', 'plan'] as const;
