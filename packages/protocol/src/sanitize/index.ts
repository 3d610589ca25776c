export { UNSAFE_CHARACTERS, escapeControls, visibleEscape } from './visible-escape.js';
export { terminalText } from './for-terminal.js';
export { htmlText } from './for-html.js';
export { markdownText } from './for-markdown.js';
