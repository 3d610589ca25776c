import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What esbuild's `__copyProps` helper reads of each property it copies, and what it reads now. */
export const COPY_PROPS_ENUMERABLE = {
  from: 'enumerable:!(desc=__getOwnPropDesc(from,key))||desc.enumerable',
  to: 'enumerable:Object.prototype.propertyIsEnumerable.call(from,key)',
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
  let files = 0;
  for (const name of readdirSync(dist, { recursive: true, encoding: 'utf8' })) {
    if (!name.endsWith('.js')) continue;
    const file = join(dist, name);
    const source = readFileSync(file, 'utf8');
    if (!source.includes(COPY_PROPS_ENUMERABLE.from)) continue;
    writeFileSync(file, source.replaceAll(COPY_PROPS_ENUMERABLE.from, COPY_PROPS_ENUMERABLE.to));
    files += 1;
  }
  if (files === 0) {
    throw new Error(`esbuild runtime patch: no built file has "${COPY_PROPS_ENUMERABLE.from}"; esbuild changed its __copyProps helper — update src/bundle/esbuild-runtime.ts`);
  }
  return { files };
}
