import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { PromptInputError } from './errors/prompt-input-error.js';

export interface PromptParts {
  /** The prompt; `-` reads it from stdin. */
  prompt: string;
  /** Files to attach; `-` attaches stdin. */
  files?: string[];
  cwd: string;
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

/**
 * Builds one prompt from the prompt text and attached files, each in a `<file path="…">` block
 * (stdin as `<stdin>`), so Claude Code gets everything in its first message.
 */
export async function buildPrompt(parts: PromptParts): Promise<string> {
  const stdin = parts.stdin ?? process.stdin;
  const files = parts.files ?? [];
  const stdinUses = (parts.prompt === '-' ? 1 : 0) + files.filter((file) => file === '-').length;
  if (stdinUses > 1) {
    throw new PromptInputError({ message: 'stdin (`-`) can be read only once, but it was given more than once.', hint: 'Use `-` either as the prompt or as one --file.' });
  }
  const readStdin = async (): Promise<string> => {
    if (stdin.isTTY) {
      throw new PromptInputError({ message: '`-` reads from stdin, but stdin is a terminal.', hint: 'Pipe the text in, e.g. `git diff | godmode run "review this" --file -`.' });
    }
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    return Buffer.concat(chunks).toString('utf8');
  };

  const prompt = parts.prompt === '-' ? (await readStdin()).trim() : parts.prompt;
  if (prompt.trim() === '') throw new PromptInputError({ message: 'The prompt is empty.', hint: 'Say what Claude Code should do.' });
  const blocks = [prompt];
  for (const file of files) {
    if (file === '-') {
      blocks.push(`<stdin>\n${(await readStdin()).replace(/\n$/, '')}\n</stdin>`);
      continue;
    }
    const path = isAbsolute(file) ? file : resolve(parts.cwd, file);
    let content: Buffer;
    try {
      content = await readFile(path);
    } catch (error) {
      throw new PromptInputError({ message: `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`, hint: 'Check the path (relative paths start at --cwd).', cause: error });
    }
    if (content.includes(0)) {
      throw new PromptInputError({ message: `${file} looks binary; only text files can be attached.`, hint: 'Attach a text file, or let Claude Code read it with its own tools.' });
    }
    blocks.push(`<file path="${file.replace(/"/g, '&quot;')}">\n${content.toString('utf8').replace(/\n$/, '')}\n</file>`);
  }
  return blocks.join('\n\n');
}
