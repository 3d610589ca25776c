export { findProgram } from '../find-program.js';

const BUILTINS = new Set([
  '.', ':', '[', '[[', 'alias', 'break', 'case', 'cd', 'command', 'continue', 'do', 'done', 'echo', 'elif', 'else', 'esac', 'eval', 'exec', 'exit',
  'export', 'false', 'fi', 'for', 'function', 'if', 'in', 'local', 'printf', 'pwd', 'read', 'return', 'set', 'shift', 'source', 'test', 'then',
  'time', 'trap', 'true', 'type', 'ulimit', 'umask', 'unset', 'until', 'wait', 'while', '!', '{', '}', '(', ')',
]);

/**
 * The programs a shell command line starts (the first word of each `&&`, `||`, `;`, `|`, `&` part), without
 * variable assignments, shell builtins, redirections with their targets (`> out`, `2>&1`, `&> log`, `< in`)
 * and words the shell computes (`$X`, `$(…)`, `` `…` ``, also inside double quotes). Quotes are honoured.
 */
export function commandNames(line: string): string[] {
  const names: string[] = [];
  let words: string[] = [];
  let word = '';
  let hasWord = false;
  // The next word is a redirection's target (`> out.txt`), not a program or an argument.
  let target = false;
  const endWord = (): void => {
    if (hasWord) {
      if (target) target = false;
      else words.push(word);
    }
    word = '';
    hasWord = false;
  };
  const endPart = (): void => {
    endWord();
    target = false;
    const at = words.findIndex((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
    const first = at === -1 ? undefined : words[at];
    if (first !== undefined && first !== '' && !BUILTINS.has(first) && !/[$`*?]/.test(first) && !first.startsWith('(')) {
      // `env A=1 cmd`: the program is cmd; `env` alone is env.
      if (first === 'env') names.push(words.slice(at + 1).find((w) => !w.includes('=') && !w.startsWith('-')) ?? first);
      else names.push(first);
    }
    words = [];
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === "'") {
      const end = skipSingle(line, i);
      word += line.slice(i + 1, end);
      hasWord = true;
      i = end;
    } else if (c === '"') {
      const end = skipDouble(line, i);
      word += unescapeDouble(line.slice(i + 1, end));
      hasWord = true;
      i = end;
    } else if ((c === '$' && line[i + 1] === '(') || c === '`') {
      // A command substitution is one computed word, whatever quotes and separators it holds.
      const end = c === '`' ? skipBacktick(line, i) : skipSubstitution(line, i + 1);
      word += line.slice(i, end + 1);
      hasWord = true;
      i = end;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      hasWord = true;
    } else if (c === '>' || c === '<' || (c === '&' && line[i + 1] === '>')) {
      // A redirection: a file descriptor number just before it (`2>`) belongs to it.
      if (hasWord && /^\d+$/.test(word)) {
        word = '';
        hasWord = false;
      } else endWord();
      while (i + 1 < line.length && /[<>|]/.test(line[i + 1] as string) && !(line[i] === '<' && line[i + 1] === '(')) i++;
      if (line[i + 1] === '&') {
        // `>&2`, `<&-`: a duplication, no target word.
        i++;
        while (i + 1 < line.length && /[\d-]/.test(line[i + 1] as string)) i++;
      } else target = true;
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

/** The index of the `'` closing the single-quoted string opened at `open` (or the end of the line). */
function skipSingle(line: string, open: number): number {
  const end = line.indexOf("'", open + 1);
  return end === -1 ? line.length : end;
}

/** The index of the `"` closing the double-quoted string opened at `open`: `\"` and `$(…)` inside do not close it. */
function skipDouble(line: string, open: number): number {
  for (let j = open + 1; j < line.length; j++) {
    const c = line[j];
    if (c === '\\') j++;
    else if (c === '"') return j;
    else if (c === '$' && line[j + 1] === '(') j = skipSubstitution(line, j + 1);
    else if (c === '`') j = skipBacktick(line, j);
  }
  return line.length;
}

/** The index of the `)` closing the `(` at `open` of a `$(…)`, past nested parentheses and quotes. */
function skipSubstitution(line: string, open: number): number {
  let depth = 1;
  for (let j = open + 1; j < line.length; j++) {
    const c = line[j];
    if (c === '\\') j++;
    else if (c === "'") j = skipSingle(line, j);
    else if (c === '"') j = skipDouble(line, j);
    else if (c === '`') j = skipBacktick(line, j);
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j;
  }
  return line.length;
}

/** The index of the backtick closing the one at `open`. */
function skipBacktick(line: string, open: number): number {
  for (let j = open + 1; j < line.length; j++) {
    if (line[j] === '\\') j++;
    else if (line[j] === '`') return j;
  }
  return line.length;
}

/** A double-quoted string's text as the shell reads it (`\"`, `\\`, `\$`, `` \` `` unescaped). */
function unescapeDouble(text: string): string {
  return text.replace(/\\([\\"$`])/g, '$1');
}
