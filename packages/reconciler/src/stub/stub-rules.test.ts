import { describe, expect, it } from 'vitest';
import { maxStubBytes, stubReason } from './stub-rules.js';

const stubs: Array<[string, string]> = [
  ['empty', ''],
  ['whitespace', '  \n\t\n'],
  ['bare TODO', 'TODO'],
  ['TODO comment', '// TODO: implement auth\n'],
  ['FIXME hash comment', '# FIXME\n'],
  ['not implemented', 'not implemented'],
  ['stub word', 'stub\n'],
  ['placeholder in block comment', '/* placeholder */'],
  ['throw TODO body', 'export function login(user: string): string {\n  throw new Error("TODO");\n}\n'],
  ['throw not implemented', "export async function run() {\n  throw new Error('not implemented');\n}"],
  ['throw empty Error', 'function f() {\n  throw new Error();\n}'],
  ['class with stub method', 'export class Auth {\n  login(name) {\n    // TODO\n  }\n}\n'],
  ['arrow stub', 'export const go = async (a: number): Promise<void> => {\n  throw new Error(`TODO`);\n};'],
  ['python pass', 'def handler(event):\n    pass\n'],
  ['python NotImplementedError', 'class A:\n    def run(self) -> None:\n        raise NotImplementedError("later")\n'],
  ['rust todo!', 'fn main() {\n    todo!()\n}\n'],
  ['empty module', 'export {};\n'],
  ['JSON empty object', '{}'],
  ['markdown TODO heading', '# TODO\n'],
  ['BOM + TODO', '\uFEFFTODO'],
  ['CRLF TODO lines', 'TODO: one\r\nFIXME: two\r\n'],
  ['JSDoc only + throw', '/**\n * Not implemented yet\n */\nexport function f() {\n  throw new Error("not yet implemented");\n}'],
  ['NUL bytes only', '\0\0\0\0'],
  ['html comment TODO', '<!-- TODO -->'],
];

const work: Array<[string, string]> = [
  ['a return statement', 'export function add(a: number, b: number): number {\n  return a + b;\n}\n'],
  ['TODO plus code', '// TODO: speed up\nexport const x = 1;\n'],
  ['a heading with words', '# Auth service\n\nHandles login.\n'],
  ['a JSON field', '{ "name": "app" }'],
  ['a throw with a real message', 'export function f() {\n  throw new Error("user not found");\n}'],
  ['words that start like placeholders', 'Todoist sync\nStubborn retries\n'],
  ['binary data', '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR'],
  ['a one-line script', 'console.log("hello")\n'],
];

describe('stub rules', () => {
  it.each(stubs)('%s is a stub', (_name, text) => {
    expect(stubReason(Buffer.from(text, 'utf8'))).not.toBeNull();
  });

  it.each(work)('%s is work', (_name, text) => {
    expect(stubReason(Buffer.from(text, 'utf8'))).toBeNull();
  });

  it('never calls a file larger than maxStubBytes a stub, even one of TODOs', () => {
    const big = Buffer.from('TODO\n'.repeat(maxStubBytes / 4));
    expect(big.length).toBeGreaterThan(maxStubBytes);
    expect(stubReason(big)).toBeNull();
    expect(stubReason(big.subarray(0, 10), big.length)).toBeNull();
  });

  it('names the rule that matched', () => {
    expect(stubReason(Buffer.from('throw new Error("TODO")'))).toContain('throw of a placeholder error');
    expect(stubReason(Buffer.alloc(0))).toBe('empty (0 bytes)');
  });
});
