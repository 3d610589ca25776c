/** Read by `lazySchema` when it builds a schema: zod's JIT is turned off first when `off` is set. */
export const zodJit = { off: false };

/**
 * For a short-lived process (a CLI command): validate without zod's JIT. zod compiles a fast parser for each
 * object schema with `new Function` on its first use, which pays off after many parses and costs a start-up
 * its compile time (≈ 10 ms of `orchestra status`, measured: apps/godmode README → Start-up). Results are the
 * same either way; only the first parse gets cheaper and later ones a little dearer.
 *
 * It imports no zod: a command that validates nothing (`orchestra ls`, `--help`) never loads zod, so this only
 * marks the process, and the protocol's schemas turn the JIT off before the first of them is built.
 */
export function validateForShortLivedProcess(): void {
  zodJit.off = true;
}
