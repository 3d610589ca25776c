import { z } from 'zod';

/**
 * For a short-lived process (a CLI command): validate without zod's JIT. zod compiles a fast parser for each
 * object schema with `new Function` on its first use, which pays off after many parses and costs a start-up
 * its compile time (≈ 10 ms of `orchestra status`, measured: apps/godmode README → Start-up). Results are the
 * same either way; only the first parse gets cheaper and later ones a little dearer.
 */
export function validateForShortLivedProcess(): void {
  z.config({ jitless: true });
}
