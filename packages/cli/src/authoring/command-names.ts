export { findProgram } from '../find-program.js';

const BUILTINS = new Set([
  '.', ':', '[', '[[', 'alias', 'break', 'case', 'cd', 'command', 'continue', 'do', 'done', 'echo', 'elif', 'else', 'esac', 'eval', 'exec', 'exit',
  'export', 'false', 'fi', 'for', 'function', 'if', 'in', 'local', 'printf', 'pwd', 'read', 'return', 'set', 'shift', 'source', 'test', 'then',
  'time', 'trap', 'true', 'type', 'ulimit', 'umask', 'unset', 'until', 'wait', 'while', '!', '{', '}', '(', ')',
]);

/**
 * The programs a shell command line starts (the first word of each `&&`, `||`, `;`, `|` part), without
 * variable assignments, shell builtins and words the shell computes (`$X`, `$(…)`). Quotes are honoured.
 */
export function commandNames(line: string): string[] {
  const names: string[] = [];
  let words: string[] = [];
  let word = '';
  let quote: '"' | "'" | undefined;
  let hasWord = false;
  const endWord = (): void => {
    if (hasWord) words.push(word);
    word = '';
    hasWord = false;
  };
  const endPart = (): void => {
    endWord();
    const first = words.find((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
    if (first !== undefined && first !== '' && !BUILTINS.has(first) && !/[$`*?]/.test(first) && !first.startsWith('(')) {
      // `env A=1 cmd`: the program is cmd.
      if (first === 'env') {
        const rest = words.slice(words.indexOf(first) + 1).find((w) => !w.includes('=') && !w.startsWith('-'));
        if (rest) names.push(rest);
      } else names.push(first);
    }
    words = [];
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      hasWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      hasWord = true;
    } else if (c === ' ' || c === '\t') endWord();
    else if (c === '\n' || c === ';' || c === '|' || c === '&' || c === '(' || c === ')') {
      endPart();
      // `(`/`)` of a subshell, and `&&`, `||`, `;;`: one separator.
      while (i + 1 < line.length && /[;|&]/.test(line[i + 1] as string) && line[i + 1] === c) i++;
    } else if (c === '#' && !hasWord) {
      while (i + 1 < line.length && line[i + 1] !== '\n') i++;
    } else {
      word += c;
      hasWord = true;
    }
  }
  endPart();
  return names;
}
