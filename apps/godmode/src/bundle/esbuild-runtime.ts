import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What esbuild's `__copyProps` helper reads of each property it copies, and what it reads now. */
export const COPY_PROPS_ENUMERABLE = {
  from: 'enumerable:!(desc=__getOwnPropDesc(from,key))||desc.enumerable',
  to: 'enumerable:Object.prototype.propertyIsEnumerable.call(from,key)',
} as const;

/** Where the built-in stand-ins of src/bundle/builtin-imports.ts register the modules they hand out. */
export const BUILTIN_NAMESPACES = 'godmode.builtins';

/** The body of esbuild's `__toESM`, kept as the fallback of the edited one. */
const TO_ESM_BODY = '(target=mod!=null?__create(__getProtoOf(mod)):{},__copyProps(isNodeMode||!mod||!mod.__esModule?__defProp(target,"default",{value:mod,enumerable:!0}):target,mod))';

/**
 * esbuild's `__toESM` as it writes it, and as it is now: a module a built-in stand-in registered (in a WeakMap
 * under `Symbol.for('godmode.builtins')`) is wrapped once per mode and the wrapper reused, instead of once per
 * importing module — its properties are copied afresh each time, ≈ 100 getters for `node:fs` or `node:process`,
 * and `orchestra status` wrapped `node:fs` 13 times (≈ 3 ms profiled). A built-in's exports never change, so one
 * wrapper is what each copy was; every other module is wrapped as before.
 */
export const TO_ESM = {
  from: `var __toESM=(mod,isNodeMode,target)=>${TO_ESM_BODY}`,
  to: `var __toESM=(mod,isNodeMode,target,memo)=>(memo=mod!=null&&globalThis[Symbol.for(${JSON.stringify(BUILTIN_NAMESPACES)})]?.get(mod))?memo[isNodeMode?1:0]??=${TO_ESM_BODY}:${TO_ESM_BODY}`,
} as const;

/**
 * esbuild's `__toESM` wraps a CommonJS module for an `import` by copying each of its properties as a getter, and
 * reads each one's descriptor to copy whether it is enumerable. Node's built-ins have lazy properties that a
 * descriptor read materialises: for `node:util`, `diff` loads 23 internal modules and makes `process.stderr`
 * (≈ 6 ms of a start), `parseArgs` and `setTraceSigInt` more; for `node:fs`, `Dir`. So one `import { promisify }
 * from 'node:util'` cost every command that reached it. `propertyIsEnumerable` answers the same (the key comes from
 * `getOwnPropertyNames`, so it always has a descriptor) without materialising anything. This edits the helper in
 * the built files; the build fails when esbuild no longer writes it this way.
 */
export function patchCopyProps(dist: string): { files: number } {
  return patchHelper(dist, COPY_PROPS_ENUMERABLE, '__copyProps');
}

/** TO_ESM's edit, in every built file that has esbuild's helpers. */
export function patchToESM(dist: string): { files: number } {
  return patchHelper(dist, TO_ESM, '__toESM');
}

function patchHelper(dist: string, edit: { from: string; to: string }, helper: string): { files: number } {
  let files = 0;
  for (const name of readdirSync(dist, { recursive: true, encoding: 'utf8' })) {
    if (!name.endsWith('.js')) continue;
    const file = join(dist, name);
    const source = readFileSync(file, 'utf8');
    if (!source.includes(edit.from)) continue;
    writeFileSync(file, source.replaceAll(edit.from, edit.to));
    files += 1;
  }
  if (files === 0) {
    throw new Error(`esbuild runtime patch: no built file has "${edit.from}"; esbuild changed its ${helper} helper — update src/bundle/esbuild-runtime.ts`);
  }
  return { files };
}
