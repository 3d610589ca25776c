import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { configFile, type AccountConfig, type Env } from './config.js';
import { AuthConfigError } from './errors/auth-config-error.js';
import { AuthServiceError } from './errors/auth-service-error.js';

/**
 * `godmode login --service <url>`: where a team's deployment is. `<url>` is the project URL
 * (`https://<ref>.supabase.co`, or its custom domain) or any URL under it (the device page's). The device
 * function answers `…/functions/v1/device/service.json` with the project URL and publishable key, which are
 * public: the page itself carries them.
 */
export async function discoverService(url: string, fetchImpl: typeof fetch = globalThis.fetch): Promise<Pick<AccountConfig, 'supabaseUrl' | 'supabaseKey'>> {
  let base: URL;
  try {
    base = new URL(url);
    if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new Error('not http(s)');
  } catch (error) {
    throw new AuthConfigError({ code: 'AUTH_CONFIG_INVALID', message: `--service "${url}" is not an http(s) URL.`, hint: 'Give the deployment\'s project URL, e.g. https://<ref>.supabase.co', cause: error });
  }
  const at = base.pathname.indexOf('/functions/v1/');
  const project = `${base.origin}${at >= 0 ? base.pathname.slice(0, at) : base.pathname.replace(/\/+$/, '')}`;
  const where = `${project}/functions/v1/device/service.json`;
  let answer: { supabase_url?: unknown; supabase_key?: unknown };
  try {
    const response = await fetchImpl(where, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(15_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    answer = (await response.json()) as typeof answer;
  } catch (error) {
    throw new AuthServiceError({ message: `${where} did not describe a godmode deployment (${(error as Error).message}).`, hint: 'Check the URL, and that the deployment includes the device function (supabase/README.md).', cause: error });
  }
  const supabaseUrl = typeof answer.supabase_url === 'string' ? answer.supabase_url.replace(/\/+$/, '') : '';
  const supabaseKey = typeof answer.supabase_key === 'string' ? answer.supabase_key : '';
  if (!/^https?:\/\//.test(supabaseUrl) || !supabaseKey) {
    throw new AuthServiceError({ message: `${where} answered without a project URL and publishable key.`, hint: 'Redeploy the device function (supabase/README.md).' });
  }
  return { supabaseUrl, supabaseKey };
}

/**
 * Writes `supabaseUrl`/`supabaseKey` into the config file (other keys kept), atomically. Returns the file.
 * `GODMODE_SUPABASE_URL`/`KEY` still win over it, as `loadAccountConfig` reads env first.
 */
export async function saveServiceConfig(service: Pick<AccountConfig, 'supabaseUrl' | 'supabaseKey'>, env: Env = process.env): Promise<string> {
  const file = configFile(env);
  let current: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) current = parsed as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && !(error instanceof SyntaxError)) throw error;
  }
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, JSON.stringify({ ...current, supabaseUrl: service.supabaseUrl, supabaseKey: service.supabaseKey }, null, 2) + '\n', { mode: 0o644 });
  return file;
}
