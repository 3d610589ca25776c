/**
 * The device page's script (bundled with supabase-js into app.js by build.ts; no CDN, no inline code).
 * Sign in with Supabase Auth (email one-time code, plus any OAuth provider the project enables), confirm the
 * code the terminal shows against the requesting device's name, platform and time, then approve or deny
 * through `cli-auth` with the user's session. Nothing is ever approved without a click on Approve.
 * All text from the server (device names are whatever the requesting program claims) goes in as textContent.
 */
import { createClient, type Session } from '@supabase/supabase-js';

type Tone = 'good' | 'bad' | 'info';
type CodeState = 'pending' | 'approved' | 'denied' | 'used' | 'expired';
interface LookupAnswer {
  user_code: string;
  state: CodeState;
  device: { name: string; platform: string | null } | null;
  requested_at: string;
  expires_at: string;
}

const ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
const SECTIONS = ['signin', 'account', 'enter', 'confirm', 'outcome'] as const;
type Section = (typeof SECTIONS)[number];

const byId = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`device page: #${id} is missing`);
  return el as T;
};
const meta = (name: string): string => document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content ?? '';

const supabaseUrl = meta('godmode-supabase-url');
const supabaseKey = meta('godmode-supabase-key');
const supabase = createClient(supabaseUrl, supabaseKey, {
  auth: { flowType: 'implicit', detectSessionInUrl: true, persistSession: true, autoRefreshToken: true },
});

let session: Session | null = null;
let current: LookupAnswer | null = null;
let otpEmail = '';

/** `abcd efgh` → `ABCD-EFGH`; anything that cannot be a user code → null. */
function formatUserCode(input: string): string | null {
  const letters = input.toUpperCase().replace(/[^A-Z]/g, '');
  if (letters.length !== 8 || [...letters].some((c) => !ALPHABET.includes(c))) return null;
  return `${letters.slice(0, 4)}-${letters.slice(4)}`;
}

function show(...visible: Section[]): void {
  for (const id of SECTIONS) byId(id).hidden = !visible.includes(id);
}

function status(text: string | null, tone: Tone = 'info'): void {
  const el = byId('status');
  el.hidden = !text;
  el.textContent = text ?? '';
  el.dataset['tone'] = tone;
}

function outcome(kind: string, text: string, tone: Tone): void {
  status(null);
  const el = byId('outcome-text');
  el.textContent = text;
  el.dataset['tone'] = tone;
  byId('outcome').dataset['outcome'] = kind;
  show('account', 'outcome');
}

function busy(on: boolean): void {
  for (const b of document.querySelectorAll<HTMLButtonElement>('button')) b.disabled = on;
}

async function call(url: string, body: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${session?.access_token ?? ''}`, apikey: supabaseKey, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  let parsed: Record<string, unknown> = {};
  try {
    parsed = (await response.json()) as Record<string, unknown>;
  } catch {
    // not JSON: the status says enough
  }
  return { status: response.status, body: parsed };
}

const lookupUrl = (): string => new URL('device/lookup', location.href).href;
const cliAuthUrl = (): string => `${supabaseUrl}/functions/v1/cli-auth`;

/** Says plainly what state a code is in; shows Approve/Deny only for a pending one. */
function present(answer: LookupAnswer): void {
  current = answer;
  switch (answer.state) {
    case 'pending': {
      status(null);
      byId('confirm-code').textContent = answer.user_code;
      byId('device-name').textContent = answer.device?.name ?? 'unknown';
      byId('device-platform').textContent = answer.device?.platform ?? 'not given';
      byId('device-time').textContent = `${new Date(answer.requested_at).toLocaleString()} (the code expires ${new Date(answer.expires_at).toLocaleTimeString()})`;
      show('account', 'confirm');
      return;
    }
    case 'approved':
      return outcome('already-approved', `Code ${answer.user_code} was already approved. There is nothing more to do here; your terminal is logged in.`, 'good');
    case 'denied':
      return outcome('already-denied', `Code ${answer.user_code} was already denied. Run godmode login again if you do want to log in.`, 'bad');
    case 'used':
      return outcome('used', `Code ${answer.user_code} was already used. Run godmode login again for a new code.`, 'bad');
    case 'expired':
      return outcome('expired', `Code ${answer.user_code} has expired: it was not approved in time. Run godmode login again for a new code.`, 'bad');
  }
}

async function lookup(code: string): Promise<void> {
  busy(true);
  try {
    const r = await call(lookupUrl(), { user_code: code });
    if (r.status === 200) return present(r.body as unknown as LookupAnswer);
    byId<HTMLInputElement>('user-code').value = code;
    show('account', 'enter');
    if (r.status === 404) return status(`No login is waiting for code ${code}. Check the code in your terminal, or run godmode login again.`, 'bad');
    if (r.status === 429) return status('Too many wrong codes. Wait a few minutes, then try again.', 'bad');
    if (r.status === 401) return signedOut('Your session has ended. Sign in again.');
    status(`The account service did not answer (HTTP ${r.status}). Try again.`, 'bad');
  } catch (error) {
    status(`Could not reach the account service: ${(error as Error).message}`, 'bad');
  } finally {
    busy(false);
  }
}

async function decide(action: 'approve' | 'deny'): Promise<void> {
  if (!current) return;
  const code = current.user_code;
  busy(true);
  try {
    const r = await call(cliAuthUrl(), { action, user_code: code });
    if (r.status === 200) {
      const who = session?.user.email ?? 'your account';
      return action === 'approve'
        ? outcome('approved', `Approved. Your terminal is now logged in as ${who}; you can close this page.`, 'good')
        : outcome('denied', 'Denied. The terminal that asked was refused and nothing was logged in.', 'bad');
    }
    if (r.status === 404) {
      // Decided already, expired, or gone: ask which, and say so.
      const again = await call(lookupUrl(), { user_code: code });
      if (again.status === 200 && (again.body as unknown as LookupAnswer).state !== 'pending') return present(again.body as unknown as LookupAnswer);
      return outcome('gone', `Code ${code} can no longer be ${action === 'approve' ? 'approved' : 'denied'}. Run godmode login again for a new code.`, 'bad');
    }
    if (r.status === 429) return status('Too many wrong codes. Wait a few minutes, then try again.', 'bad');
    if (r.status === 401) return signedOut('Your session has ended. Sign in again.');
    status(`The account service did not answer (HTTP ${r.status}). Try again.`, 'bad');
  } catch (error) {
    status(`Could not reach the account service: ${(error as Error).message}`, 'bad');
  } finally {
    busy(false);
  }
}

function signedOut(message: string | null): void {
  session = null;
  byId('email-form').hidden = false;
  byId('otp-form').hidden = true;
  show('signin');
  status(message, message ? 'bad' : 'info');
  void showProviders();
}

async function signedIn(): Promise<void> {
  byId('who').textContent = session?.user.email ?? session?.user.id ?? '';
  status(null);
  const code = formatUserCode(byId<HTMLInputElement>('user-code').value);
  if (code) return lookup(code);
  show('account', 'enter');
}

/** Buttons for the OAuth providers the project enables (Auth's public settings). */
async function showProviders(): Promise<void> {
  const box = byId('providers');
  try {
    const r = await fetch(`${supabaseUrl}/auth/v1/settings`, { headers: { apikey: supabaseKey } });
    const external = ((await r.json()) as { external?: Record<string, boolean> }).external ?? {};
    const providers = Object.entries(external)
      .filter(([name, on]) => on && !['email', 'phone', 'anonymous_users', 'saml'].includes(name))
      .map(([name]) => name);
    box.replaceChildren(
      ...providers.map((provider) => {
        const b = document.createElement('button');
        b.type = 'button';
        b.textContent = `Continue with ${provider[0]!.toUpperCase()}${provider.slice(1)}`;
        b.addEventListener('click', () => {
          void supabase.auth.signInWithOAuth({ provider: provider as never, options: { redirectTo: location.href } });
        });
        return b;
      }),
    );
    box.hidden = providers.length === 0;
  } catch {
    box.hidden = true; // email sign-in still works
  }
}

function wire(): void {
  byId('email-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const email = byId<HTMLInputElement>('email').value.trim();
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) return status('Enter your email address.', 'bad');
    busy(true);
    void supabase.auth
      .signInWithOtp({ email, options: { shouldCreateUser: true, emailRedirectTo: location.href } })
      .then(({ error }) => {
        if (error) return status(`Could not send the code: ${error.message}`, 'bad');
        otpEmail = email;
        byId('otp-email').textContent = email;
        byId('email-form').hidden = true;
        byId('otp-form').hidden = false;
        status(`We emailed a sign-in code to ${email}.`);
        byId<HTMLInputElement>('otp').focus();
      })
      .finally(() => busy(false));
  });
  byId('otp-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = byId<HTMLInputElement>('otp').value.replace(/\s+/g, '');
    busy(true);
    void supabase.auth
      .verifyOtp({ email: otpEmail, token, type: 'email' })
      .then(async ({ data, error }) => {
        if (error || !data.session) return status(`That sign-in code did not work: ${error?.message ?? 'no session'}`, 'bad');
        session = data.session;
        busy(false);
        await signedIn();
      })
      .finally(() => busy(false));
  });
  byId('otp-back').addEventListener('click', () => signedOut(null));
  byId('signout').addEventListener('click', () => {
    void supabase.auth.signOut({ scope: 'local' }).then(() => signedOut(null));
  });
  byId('code-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const code = formatUserCode(byId<HTMLInputElement>('user-code').value);
    if (!code) return status('A code is 8 letters, like BCDF-GHJK.', 'bad');
    void lookup(code);
  });
  byId('approve').addEventListener('click', () => void decide('approve'));
  byId('deny').addEventListener('click', () => void decide('deny'));
  byId('another').addEventListener('click', () => {
    byId<HTMLInputElement>('user-code').value = '';
    status(null);
    show('account', 'enter');
  });
}

async function start(): Promise<void> {
  wire();
  const fromUrl = new URL(location.href).searchParams.get('code');
  if (fromUrl) byId<HTMLInputElement>('user-code').value = formatUserCode(fromUrl) ?? fromUrl.slice(0, 9);
  const { data } = await supabase.auth.getSession();
  session = data.session;
  if (session) return signedIn();
  signedOut(null);
}

void start();
