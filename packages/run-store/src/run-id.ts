import { nodeCrypto } from './lazy-crypto.js';

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A plan name as it may appear in a folder name. */
export function slugify(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
  return slug === '' ? 'run' : slug;
}

/**
 * `20261124-110102-<plan>-<4 random>`: sorts by start time (UTC, to the second), reads at a glance,
 * and the random suffix keeps two runs started in the same second apart.
 */
export function newRunId(planName: string, now: Date = new Date()): string {
  const iso = now.toISOString(); // 2026-11-24T11:01:02.345Z
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
  const bytes = nodeCrypto().randomBytes(4);
  let suffix = '';
  for (const b of bytes) suffix += alphabet[b % alphabet.length];
  return `${stamp}-${slugify(planName)}-${suffix}`;
}
