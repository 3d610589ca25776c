import { z } from 'zod';
import { lazySchema } from './lazy-schema.js';

/**
 * What a worker inherits from the conductor's environment: `inherit` (everything, the default) or an allow-list
 * of names. Either way godmode's own credentials are removed first — a worker never gets them.
 */
export const workerEnvPolicySchema = /* @__PURE__ */ lazySchema(() => z.union([
  z.literal('inherit'),
  z
    .object({
      allow: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*\*?$/, 'an environment variable name, or a prefix ending in *')),
    })
    .strict(),
]));
export type WorkerEnvPolicy = z.infer<typeof workerEnvPolicySchema>;

/** Always passed with an allow-list: what any program needs to run at all. */
export const baseWorkerEnv = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'TMPDIR', 'TMP', 'TEMP', 'LANG', 'LC_*', 'TERM', 'TZ'] as const;

const credentialUrl = /^[a-z][a-z0-9+.-]*:\/\/[^/?#@\s]*:[^/?#@\s]*@/i;

/**
 * godmode's own credentials, by name and value: the account token (`GODMODE_TOKEN`), any `GODMODE_*` variable
 * naming a token, key, secret or password (`GODMODE_SUPABASE_KEY`…), any `*_SERVICE_ROLE_KEY`, and any
 * `GODMODE_*` URL carrying a user and password (`GODMODE_SUPABASE_URL=https://user:pass@…`).
 */
export function isGodmodeCredential(name: string, value: string | undefined): boolean {
  const upper = name.toUpperCase();
  if (upper.endsWith('_SERVICE_ROLE_KEY')) return true;
  if (!upper.startsWith('GODMODE_')) return false;
  if (/(^|_)(TOKEN|KEY|SECRET|PASSWORD|PASS|CREDENTIALS?)(_|$)/.test(upper.slice('GODMODE_'.length))) return true;
  return value !== undefined && credentialUrl.test(value.trim());
}

/**
 * The environment a worker inherits: the conductor's, filtered by the plan's policy, minus godmode's own
 * credentials. What the conductor then sets on purpose (run paths, planted canaries) is added by the caller.
 */
export function inheritedWorkerEnv(env: Record<string, string | undefined>, policy: WorkerEnvPolicy = 'inherit'): Record<string, string> {
  const allowed = policy === 'inherit' ? null : [...baseWorkerEnv, ...policy.allow];
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || isGodmodeCredential(name, value)) continue;
    if (allowed && !allowed.some((a) => (a.endsWith('*') ? name.startsWith(a.slice(0, -1)) : name === a))) continue;
    out[name] = value;
  }
  return out;
}

/** Removes godmode's credentials from an environment about to be given to a worker, whatever set them. */
export function withoutGodmodeCredentials(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([name, value]) => !isGodmodeCredential(name, value)));
}
