import type { ClaudeTurnOptions } from './claude-args.js';

/** The options `ask`, `run`, `chat` and `skills run` share, as Claude Code flags. */
export type CommonClaudeOptions = Pick<ClaudeTurnOptions, 'model' | 'maxTurns' | 'maxBudgetUsd' | 'permissionMode' | 'allowedTools'>;

/** Claude Code's permission modes: the protocol's one list, which plans validate against too. */
export { CLAUDE_PERMISSION_MODES as PERMISSION_MODES } from '@godmode/protocol';
