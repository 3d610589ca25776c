export { startModelStandIn, type ModelStandIn, type ModelStandInOptions, type RecordedRequest } from './server.js';
export type { BashTurn, ErrorTurn, SilentTurn, TextTurn, ToolTurn, Turn } from './script.js';
export { usageLimitTurn } from './script.js';
export { isAuxiliaryRequest, AUXILIARY_TEXT } from './auxiliary.js';
export { userText } from './user-text.js';
export { claudeFlavor, claudeTestEnv, findClaudeBinary, nativeClaudeDir, type ClaudeFlavor, type ClaudeTestEnvOptions } from './claude-env.js';
