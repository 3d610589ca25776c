import type { PGlite } from '@electric-sql/pglite';
import { asRole, type ApiRole } from './database.js';

/**
 * The PostgREST subset @godmode/auth touches: `/rest/v1/<table>` with GET (select, eq filters, order,
 * limit), POST (insert), PATCH and DELETE (eq filters), `Prefer: return=representation` and the
 * single-object Accept type. Each request runs in its own transaction as PostgREST does.
 */
export interface RestRequest {
  method: string;
  table: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: unknown;
  role: ApiRole;
  claims: Record<string, unknown>;
}

export interface RestResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;
const RESERVED = new Set(['select', 'order', 'limit', 'offset', 'on_conflict', 'columns']);

export async function handleRest(db: PGlite, req: RestRequest): Promise<RestResponse> {
  if (!IDENT.test(req.table)) return error(404, 'PGRST205', `Could not find the table 'public.${req.table}' in the schema cache`);
  const exists = await db.query("select 1 from pg_tables where schemaname = 'public' and tablename = $1", [req.table]);
  if (exists.rows.length === 0) return error(404, 'PGRST205', `Could not find the table 'public.${req.table}' in the schema cache`);

  const params: unknown[] = [];
  const where: string[] = [];
  for (const [key, value] of req.query) {
    if (RESERVED.has(key)) continue;
    if (!IDENT.test(key)) return error(400, 'PGRST100', `Bad filter column ${key}`);
    const m = /^(eq|neq)\.(.*)$/s.exec(value);
    if (!m) return error(400, 'PGRST100', `Only eq/neq filters are supported by the stand-in (got ${key}=${value})`);
    params.push(m[2]);
    where.push(`"${key}" ${m[1] === 'eq' ? '=' : '<>'} $${params.length}`);
  }
  const whereSql = where.length ? ` where ${where.join(' and ')}` : '';
  const select = columns(req.query.get('select') ?? '*');
  if (select === null) return error(400, 'PGRST100', 'Bad select');
  const single = (req.headers['accept'] ?? '').includes('application/vnd.pgrst.object+json');
  const wantRows = req.method === 'GET' || (req.headers['prefer'] ?? '').includes('return=representation');

  let sql: string;
  if (req.method === 'GET') {
    sql = `select ${select} from public."${req.table}"${whereSql}`;
    const order = req.query.get('order');
    if (order) {
      const parts = order.split(',').map((p) => p.split('.'));
      if (!parts.every(([c, dir]) => c && IDENT.test(c) && (!dir || dir === 'asc' || dir === 'desc'))) return error(400, 'PGRST100', 'Bad order');
      sql += ' order by ' + parts.map(([c, dir]) => `"${c}" ${dir ?? 'asc'}`).join(', ');
    }
    const limit = req.query.get('limit');
    if (limit && /^\d+$/.test(limit)) sql += ` limit ${limit}`;
  } else if (req.method === 'POST') {
    const rows = (Array.isArray(req.body) ? req.body : [req.body]) as Record<string, unknown>[];
    if (rows.length === 0 || rows.some((r) => typeof r !== 'object' || r === null)) return error(400, 'PGRST102', 'Body must be an object or a non-empty array');
    const cols = Object.keys(rows[0]!);
    if (!cols.every((c) => IDENT.test(c))) return error(400, 'PGRST102', 'Bad column');
    const values = rows.map((r) => '(' + cols.map((c) => { params.push(encode(r[c])); return `$${params.length}`; }).join(', ') + ')');
    sql = `insert into public."${req.table}" (${cols.map((c) => `"${c}"`).join(', ')}) values ${values.join(', ')}`;
    if (wantRows) sql += ` returning ${select}`;
  } else if (req.method === 'PATCH') {
    const body = req.body as Record<string, unknown>;
    const cols = Object.keys(body ?? {});
    if (cols.length === 0 || !cols.every((c) => IDENT.test(c))) return error(400, 'PGRST102', 'Bad body');
    const sets = cols.map((c) => { params.push(encode(body[c])); return `"${c}" = $${params.length}`; });
    sql = `update public."${req.table}" set ${sets.join(', ')}${whereSql}`;
    if (wantRows) sql += ` returning ${select}`;
  } else if (req.method === 'DELETE') {
    sql = `delete from public."${req.table}"${whereSql}`;
    if (wantRows) sql += ` returning ${select}`;
  } else {
    return error(405, 'PGRST117', `Unsupported HTTP method ${req.method}`);
  }

  try {
    const rows = await asRole(db, req.role, req.claims, async (tx) => (await tx.query<Record<string, unknown>>(sql, params)).rows);
    if (single) {
      if (rows.length !== 1) return error(406, 'PGRST116', 'JSON object requested, multiple (or no) rows returned', `The result contains ${rows.length} rows`);
      return ok(req.method === 'POST' ? 201 : 200, rows[0]);
    }
    if (!wantRows) return { status: req.method === 'POST' ? 201 : 204, headers: {}, body: '' };
    return ok(req.method === 'POST' ? 201 : 200, rows);
  } catch (e) {
    const pg = e as { code?: string; message?: string; detail?: string; hint?: string };
    const status = pg.code === '42501' ? (req.role === 'anon' ? 401 : 403) : pg.code === '23505' ? 409 : 400;
    return error(status, pg.code ?? 'PGRST000', pg.message ?? String(e), pg.detail ?? null, pg.hint ?? null);
  }
}

function columns(select: string): string | null {
  if (select === '*') return '*';
  const cols = select.split(',').map((c) => c.trim());
  return cols.every((c) => IDENT.test(c)) ? cols.map((c) => `"${c}"`).join(', ') : null;
}

function encode(value: unknown): unknown {
  return value !== null && typeof value === 'object' && !(value instanceof Date) ? JSON.stringify(value) : value;
}

function ok(status: number, body: unknown): RestResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
}

function error(status: number, code: string, message: string, details: string | null = null, hint: string | null = null): RestResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ code, message, details, hint }) };
}
