// Deployment entry (Supabase Edge Runtime, Deno). The logic is in handler.ts, which Node tests run directly.
import postgres from 'npm:postgres@3.4.7';
import { createClient } from 'npm:@supabase/supabase-js@2.109.0';
import { handler } from './handler.ts';
import { denoDb } from '../_shared/deno-db.ts';

const sql = postgres(Deno.env.get('SUPABASE_DB_URL')!, { prepare: false });
const supabase = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_ANON_KEY')!, { auth: { persistSession: false } });

const deps = {
  db: denoDb(sql),
  now: () => new Date(),
  randomBytes: (n: number) => crypto.getRandomValues(new Uint8Array(n)),
  verificationUri: Deno.env.get('GODMODE_VERIFICATION_URI') ?? 'https://godmode.dev/device',
  // Supabase's gateway puts the caller's address first in x-forwarded-for.
  clientAddress: (req: Request) => (req.headers.get('x-forwarded-for') ?? '').split(',')[0]!.trim() || null,
  async userFromRequest(req: Request): Promise<string | null> {
    const jwt = (req.headers.get('authorization') ?? '').replace(/^Bearer\s+/i, '');
    if (!jwt) return null;
    const { data, error } = await supabase.auth.getUser(jwt);
    return error || !data.user ? null : data.user.id;
  },
};

Deno.serve((req) => handler(req, deps));
