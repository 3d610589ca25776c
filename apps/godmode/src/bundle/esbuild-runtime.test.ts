import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BUILTIN_NAMESPACES, COPY_PROPS_ENUMERABLE, patchCopyProps, patchToESM, TO_ESM } from './esbuild-runtime.js';

const require = createRequire(import.meta.url);

// esbuild's own helpers, as it writes them with whitespace minified (the text the patch looks for).
const helpers = (enumerable: string) =>
  `var __getOwnPropNames=Object.getOwnPropertyNames,__getOwnPropDesc=Object.getOwnPropertyDescriptor,__hasOwnProp=Object.prototype.hasOwnProperty,__defProp=Object.defineProperty,__create=Object.create,__getProtoOf=Object.getPrototypeOf;` +
  `var __copyProps=(to,from,except,desc)=>{if(from&&typeof from=="object"||typeof from=="function")for(let key of __getOwnPropNames(from))!__hasOwnProp.call(to,key)&&key!==except&&__defProp(to,key,{get:()=>from[key],${enumerable}});return to};` +
  `var __toESM=(mod,isNodeMode,target)=>(target=mod!=null?__create(__getProtoOf(mod)):{},__copyProps(isNodeMode||!mod||!mod.__esModule?__defProp(target,"default",{value:mod,enumerable:!0}):target,mod));`;

// The part of esbuild's API this uses (esbuild comes with tsup; it is not a dependency of this app).
interface PluginBuild {
  onResolve(o: { filter: RegExp }, cb: () => { path: string; namespace: string }): void;
  onLoad(o: { filter: RegExp; namespace: string }, cb: () => { contents: string; loader: 'js' }): void;
}
interface EsbuildApi {
  build(options: Record<string, unknown> & { plugins: Array<{ name: string; setup: (b: PluginBuild) => void }> }): Promise<{ outputFiles: Array<{ text: string }> }>;
}

const toESM = (enumerable: string) => new Function(`${helpers(enumerable)}; return __toESM;`)() as (mod: unknown, nodeMode?: number) => Record<string, unknown>;

describe('esbuild runtime patch', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it("the text it edits is esbuild's: the installed esbuild writes __copyProps this way", async () => {
    const esbuild = (await import(require.resolve('esbuild', { paths: [dirname(require.resolve('tsup'))] }))) as EsbuildApi;
    const out = await esbuild.build({
      stdin: { contents: "import fs from 'node:fs'; export const x = fs;", loader: 'js', resolveDir: tmpdir() },
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      minifyWhitespace: true,
      minifySyntax: true,
      // As src/bundle/builtin-imports.ts does: the import reaches a CommonJS module, which esbuild wraps with __toESM.
      plugins: [
        {
          name: 'cjs',
          setup: (b: PluginBuild) => {
            b.onResolve({ filter: /^node:fs$/ }, () => ({ path: 'fs', namespace: 'cjs' }));
            b.onLoad({ filter: /.*/, namespace: 'cjs' }, () => ({ contents: "module.exports = require('node:fs');", loader: 'js' }));
          },
        },
      ],
    });
    expect(out.outputFiles[0]!.text).toContain(COPY_PROPS_ENUMERABLE.from);
    expect(out.outputFiles[0]!.text).toContain(TO_ESM.from);
  });

  it('copies the same properties, as enumerable as before, and materialises none of a built-in (node:util)', () => {
    // A fresh process: this one may have read node:util's lazy properties already.
    const probe = `
      const helpers = ${helpers.toString()};
      const make = (e) => new Function(helpers(e) + '; return __toESM;')();
      const util = require('node:util');
      const n0 = process.moduleLoadList.length;
      const patched = make(${JSON.stringify(COPY_PROPS_ENUMERABLE.to)})(util, 1);
      const loadedByPatched = process.moduleLoadList.length - n0;
      const original = make(${JSON.stringify(COPY_PROPS_ENUMERABLE.from)})(util, 1);
      const loadedByOriginal = process.moduleLoadList.length - n0 - loadedByPatched;
      const shape = (o) => Object.getOwnPropertyNames(o).map((k) => k + ':' + Object.getOwnPropertyDescriptor(o, k).enumerable).sort();
      process.stdout.write(JSON.stringify({ loadedByPatched, loadedByOriginal, same: JSON.stringify(shape(patched)) === JSON.stringify(shape(original)), keys: shape(patched).length }));
    `;
    const { execFileSync } = require('node:child_process') as typeof import('node:child_process');
    const r = JSON.parse(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' })) as { loadedByPatched: number; loadedByOriginal: number; same: boolean; keys: number };
    expect(r.loadedByOriginal).toBeGreaterThan(0);
    expect(r.loadedByPatched).toBe(0);
    expect(r.same).toBe(true);
    expect(r.keys).toBeGreaterThan(20);
  });

  it('an object with non-enumerable properties keeps them non-enumerable', () => {
    const mod = Object.defineProperties({}, { a: { value: 1, enumerable: true }, b: { value: 2, enumerable: false } });
    const wrapped = toESM(COPY_PROPS_ENUMERABLE.to)(mod, 1);
    expect(Object.keys(wrapped).sort()).toEqual(['a', 'default']);
    expect(wrapped.b).toBe(2);
  });

  it('__toESM wraps a registered built-in once per mode, and anything else afresh, in the same shape as before', () => {
    const helpersWith = (toESM: string) => `${helpers(COPY_PROPS_ENUMERABLE.to).replace(TO_ESM.from, toESM)}; return __toESM;`;
    expect(helpers(COPY_PROPS_ENUMERABLE.to)).toContain(TO_ESM.from);
    const patched = new Function(helpersWith(TO_ESM.to))() as (mod: unknown, nodeMode?: number) => Record<string, unknown>;
    const original = new Function(helpersWith(TO_ESM.from))() as typeof patched;
    const registry = ((globalThis as unknown as Record<symbol, WeakMap<object, unknown[]>>)[Symbol.for(BUILTIN_NAMESPACES)] ??= new WeakMap());
    const builtin = require('node:path') as object;
    registry.set(builtin, []);
    const plain = { a: 1, b: () => 2 };
    const esModule = Object.defineProperty({ x: 1 }, '__esModule', { value: true });
    const shape = (o: Record<string, unknown>) => Object.getOwnPropertyNames(o).map((k) => `${k}:${Object.getOwnPropertyDescriptor(o, k)!.enumerable}:${typeof o[k]}`).sort();
    try {
      for (const mode of [1, 0]) {
        expect(patched(builtin, mode)).toBe(patched(builtin, mode));
        expect(shape(patched(builtin, mode))).toEqual(shape(original(builtin, mode)));
        expect(patched(builtin, mode).default).toBe(mode === 1 ? builtin : original(builtin, mode).default);
        expect(patched(plain, mode)).not.toBe(patched(plain, mode));
        expect(shape(patched(plain, mode))).toEqual(shape(original(plain, mode)));
        expect(shape(patched(esModule, mode))).toEqual(shape(original(esModule, mode)));
      }
      expect(patched(builtin, 1)).not.toBe(patched(builtin, 0));
      for (const mod of [null, undefined]) expect(shape(patched(mod, 1))).toEqual(shape(original(mod, 1)));
    } finally {
      registry.delete(builtin);
    }
  });

  it('edits every built file that has the helper, and refuses to build when none has it', () => {
    dir = mkdtempSync(join(tmpdir(), 'godmode-runtime-'));
    mkdirSync(join(dir, 'hooks'));
    writeFileSync(join(dir, 'chunk-A.js'), helpers(COPY_PROPS_ENUMERABLE.from));
    writeFileSync(join(dir, 'hooks', 'init.js'), helpers(COPY_PROPS_ENUMERABLE.from));
    writeFileSync(join(dir, 'main.js'), 'export {};');
    expect(patchCopyProps(dir)).toEqual({ files: 2 });
    expect(readFileSync(join(dir, 'hooks', 'init.js'), 'utf8')).toContain(COPY_PROPS_ENUMERABLE.to);
    expect(() => patchCopyProps(dir!)).toThrow(/esbuild changed its __copyProps helper/);
    expect(patchToESM(dir)).toEqual({ files: 2 });
    expect(readFileSync(join(dir, 'chunk-A.js'), 'utf8')).toContain(TO_ESM.to);
    expect(() => patchToESM(dir!)).toThrow(/esbuild changed its __toESM helper/);
  });
});
