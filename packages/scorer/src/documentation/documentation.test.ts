import { describe, expect, it } from 'vitest';
import { readSourceDocs } from './source-docs.js';

describe('readSourceDocs', () => {
  it('counts exported declarations and which carry a doc comment', () => {
    const { exports } = readSourceDocs(
      'a.ts',
      [
        '/** Adds. */',
        'export function add(a: number, b: number) { return a + b; }',
        '// a line comment is not documentation',
        'export const x = 1, y = 2;',
        '/**   */',
        'export interface Empty {}',
        '/** A shape. */',
        'export type Shape = { a: string };',
        'function internal() {}',
        "export { internal };",
        "export * from './b.js';",
        '/** Kinds. */ export enum Kind { A }',
      ].join('\n'),
    );
    expect(exports.map((e) => [e.kind, e.name, e.documented])).toEqual([
      ['function', 'add', true],
      ['variable', 'x, y', false],
      ['interface', 'Empty', false],
      ['type', 'Shape', true],
      ['enum', 'Kind', true],
    ]);
  });

  it('finds oclif commands and whether they have a description and examples', () => {
    const { commands } = readSourceDocs(
      'src/commands/orchestra/run.ts',
      [
        "import { Command } from '@oclif/core';",
        'export class Run extends GodmodeCommand {',
        "  static override description = 'Run a plan.';",
        "  static override examples = ['<%= config.bin %> orchestra run plan.yaml'];",
        '}',
        'export class Bare extends Command {',
        "  static description = '';",
        '}',
        'export abstract class Base extends Command {}',
        'export class Helper extends Thing {}',
      ].join('\n'),
    );
    expect(commands.map((c) => [c.className, c.hasDescription, c.hasExamples])).toEqual([
      ['Run', true, true],
      ['Bare', false, false],
    ]);
  });
});
