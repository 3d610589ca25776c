import { registerAdapter } from './adapter.js';
import { claudeAdapter } from './claude-adapter.js';
import { commandAdapter } from './command-adapter.js';

registerAdapter(commandAdapter);
registerAdapter(claudeAdapter);
