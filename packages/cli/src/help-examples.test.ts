import { describe, expect, it } from 'vitest';
import { COMMANDS } from './commands.js';

/** oclif prints a multi-line example joined with ` \`: pasted, the second command becomes arguments of the first. */
describe('help examples', () => {
  const examples = Object.entries(COMMANDS).flatMap(([id, cls]) =>
    (cls.examples ?? []).map((e) => [id, typeof e === 'string' ? e : e.command] as const),
  );
  it.each(examples)('%s: %s is one command on one line', (_id, command) => {
    expect(command).not.toMatch(/\n/);
    expect(command).not.toMatch(/\\\s*$/);
  });
});
