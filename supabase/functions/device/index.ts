// Deployment entry (Supabase Edge Runtime, Deno). The logic is in handler.ts, which Node tests run directly.
// Hosted Supabase serves `text/html` from functions only on a custom domain (on <ref>.supabase.co a GET that
// answers HTML is rewritten to text/plain): see supabase/README.md, "The device page".
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
  // What the browser talks to: the project's public URL (your custom domain, if it has one).
  supabaseUrl: Deno.env.get('GODMODE_PUBLIC_SUPABASE_URL') ?? Deno.env.get('SUPABASE_URL')!,
  supabaseKey: Deno.env.get('GODMODE_PUBLIC_SUPABASE_KEY') ?? Deno.env.get('SUPABASE_ANON_KEY')!,
  async userFromRequest(req: Request): Promise<string | null> {
    const jwt = (req.headers.get('authorization') ?? '').replace(/^Bearer\s+/i, '');
    if (!jwt) return null;
    const { data, error } = await supabase.auth.getUser(jwt);
    return error || !data.user ? null : data.user.id;
  },
};

Deno.serve((req) => handler(req, deps));
