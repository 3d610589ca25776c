import { describe, expect, it } from 'vitest';
import { StubScanner, stubReason } from './stub-rules.js';

function utf32(s: string, order: 'le' | 'be'): Buffer {
  const cps = [...s].map((c) => c.codePointAt(0) as number);
  const b = Buffer.alloc(cps.length * 4);
  cps.forEach((cp, i) => (order === 'le' ? b.writeUInt32LE(cp, i * 4) : b.writeUInt32BE(cp, i * 4)));
  return b;
}

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
  ['TODO with an owner', '// TODO(alice): write the parser\n'],
  ['TODO - a note', '# TODO - later\n'],
  ['TODO sentence', 'TODO implement login\n'],
  ['TODO.', 'TODO.\n'],
  ['one repeated byte', 'a'.repeat(4096)],
  ['one repeated line', 'export const x = 1;\n'.repeat(50)],
  ['one repeated line without a final newline', 'x = 1\nx = 1\nx = 1'],
  ['one repeated block', 'abc'.repeat(1000)],
  ['a placeholder padded with one character', '// TODO\n' + 'x'.repeat(10_000) + '\n'],
  ['a placeholder padded with blank lines and NULs', '// TODO\n' + '\n'.repeat(5000) + '\0'.repeat(5000)],
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
  // identifiers that start with placeholder words are code, not placeholder text
  ['todo.items.push(text);', 'todo.items.push(text);\n'],
  ['stub.restore()', 'stub.restore()\n'],
  ['todo = []', 'todo = []\n'],
  ['stub(fn).returns(1);', 'stub(fn).returns(1);\n'],
  ['python annotation todo: list[str] = []', 'todo: list[str] = []\n'],
  ['go todo := load()', 'todo := load()\n'],
  ['object property placeholder: "Name",', 'placeholder: "Your name",\n'],
  ['object property stub: true,', 'stub: true,\n'],
  ['C todo->next = 0;', 'todo->next = 0;\n'],
  ['todo$ observable', 'todo$.subscribe(render);\n'],
  ['a test of stubs', "it('restores the stub', () => {\n  stub.restore();\n  expect(stub.called).toBe(false);\n});\n"],
  ['minified real code', '!function(e){var t={};function n(r){if(t[r])return t[r].exports;var o=t[r]={i:r,l:!1,exports:{}};return e[r].call(o.exports,o,o.exports,n),o.l=!0,o.exports}n.m=e}([]);\n'],
  ['minified code with todo identifiers', 'const todo={items:[]};todo.items.push("a");export default todo;'],
  ['UTF-16LE code with a BOM', '\uFEFFexport const x = 1;\n'],
];

describe('stub rules', () => {
  it.each(stubs)('%s is a stub', (_name, text) => {
    expect(stubReason(Buffer.from(text, 'utf8'))).not.toBeNull();
  });

  it.each(work)('%s is work', (_name, text) => {
    const bytes = text.startsWith('\uFEFF') && text.includes('x = 1') ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.slice(1), 'utf16le')]) : Buffer.from(text, 'utf8');
    expect(stubReason(bytes)).toBeNull();
  });

  it('judges content whatever its size: 1 MiB of zeros, 95 KB of TODO lines, 200 KB of numbered TODOs are stubs', () => {
    expect(stubReason(Buffer.alloc(1024 * 1024))).toMatch(/repeated|whitespace/);
    expect(stubReason(Buffer.from('// TODO: implement\n'.repeat(5000)))).not.toBeNull();
    expect(stubReason(Buffer.from(Array.from({ length: 8000 }, (_, i) => `// TODO: implement step ${i}\n`).join('')))).not.toBeNull();
    // real code that is large stays work
    const code = Array.from({ length: 5000 }, (_, i) => `export const v${i} = ${i} * 2;\n`).join('');
    expect(stubReason(Buffer.from(code))).toBeNull();
  });

  it('judges a large file streamed in chunks the same as whole', () => {
    const todo = Buffer.from('// TODO: implement\n'.repeat(5000));
    const scan = new StubScanner();
    for (let i = 0; i < todo.length; i += 4096) scan.push(todo.subarray(i, i + 4096));
    expect(scan.finish()).not.toBeNull();
    const zeros = new StubScanner();
    for (let i = 0; i < 16; i++) zeros.push(Buffer.alloc(65536));
    expect(zeros.finish()).toMatch(/one byte \(0x00\) repeated 1048576 times|whitespace/);
    const work = new StubScanner();
    work.push(Buffer.from('export const x = 1;\n// TO'));
    work.push(Buffer.from('DO\n'));
    expect(work.finish()).toBeNull();
  });

  it.each([
    ['UTF-16LE', (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')])],
    ['UTF-16BE', (s: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(s, 'utf16le').swap16()])],
    ['UTF-32LE', (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), utf32(s, 'le')])],
    ['UTF-32BE', (s: string) => Buffer.concat([Buffer.from([0, 0, 0xfe, 0xff]), utf32(s, 'be')])],
  ])('decodes %s with a BOM before the rules', (_name, encode) => {
    expect(stubReason(encode('// TODO: implement\nthrow new Error("not implemented");\n'))).not.toBeNull();
    expect(stubReason(encode('export function add(a, b) {\n  return a + b;\n}\n'))).toBeNull();
  });

  it('names the rule that matched', () => {
    expect(stubReason(Buffer.from('throw new Error("TODO")'))).toContain('throw of a placeholder error');
    expect(stubReason(Buffer.alloc(0))).toBe('empty (0 bytes)');
  });
});
