// Deployment entry (Supabase Edge Runtime, Deno). The logic is in handler.ts, which Node tests run directly.
import postgres from 'npm:postgres@3.4.7';
import { handler } from './handler.ts';
import { denoDb } from '../_shared/deno-db.ts';

const sql = postgres(Deno.env.get('SUPABASE_DB_URL')!, { prepare: false });

const deps = {
  db: denoDb(sql),
  now: () => new Date(),
  randomBytes: (n: number) => crypto.getRandomValues(new Uint8Array(n)),
  jwtSecret: Deno.env.get('GODMODE_JWT_SECRET') ?? undefined,
};

Deno.serve((req) => handler(req, deps));
