import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);
let crypto: typeof import('node:crypto') | undefined;

/**
 * `node:crypto`, loaded on first use. Loading it costs a start ≈ 8 ms (measured: `node -e "require('crypto')"`
 * against `node -e 0`), and `orchestra ls` — reading runs, writing nothing — never needs it (apps/godmode README →
 * Start-up).
 */
export function nodeCrypto(): typeof import('node:crypto') {
  return (crypto ??= load('node:crypto') as typeof import('node:crypto'));
}
