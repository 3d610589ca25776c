/**
 * Claude Code's permission modes (`--permission-mode`), as of the Claude Code godmode is tested with: the one
 * list the plan schema (`claude` adapter options) and the CLI's `--permission-mode` flag both take.
 */
export const CLAUDE_PERMISSION_MODES = ['acceptEdits', 'auto', 'bypassPermissions', 'default', 'dontAsk', 'plan'] as const;
export type ClaudePermissionMode = (typeof CLAUDE_PERMISSION_MODES)[number];
