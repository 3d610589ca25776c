export { scribeAdapter, scribeOptions } from './scribe-adapter.js';
export { COMMANDS } from './commands.js';
