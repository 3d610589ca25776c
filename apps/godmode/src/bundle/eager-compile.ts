/**
 * Marks every CommonJS module wrapper of an esbuild bundle for eager compilation, so Node's compile cache keeps
 * it. esbuild wraps each bundled CommonJS module (all of @oclif/core) in a method, `"path"(exports, module) {…}`;
 * V8 compiles such a function lazily, on its first call, in every run — and the compile cache holds only what was
 * compiled with the file. A function in parentheses is compiled with the file (V8's "possibly invoked function
 * expression" heuristic), so the wrapper becomes `"path": (function(exports, module) {…})`. Same code, same
 * order of evaluation; only when V8 compiles it changes. Returns the new text and how many wrappers it marked.
 */
export function eagerCommonJsWrappers(code: string): { code: string; wrapped: number } {
  let wrapped = 0;
  const out = code.replace(
    /^(var [\w$]+ = __(?:commonJS|esm)\(\{\n {2}"[^"\n]+")\(([\w$, ]*)\) \{\n([\s\S]*?)\n {2}\}\n\}\);$/gm,
    (_match, head: string, params: string, body: string) => {
      wrapped += 1;
      return `${head}: (function(${params}) {\n${body}\n  })\n});`;
    },
  );
  return { code: out, wrapped };
}
