import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { listRuns, openRun } from '@godmode/run-store';
import { DashboardListenError } from '../errors/dashboard-listen-error.js';
import { cookieToken, guardRequest } from '../guard/request-guard.js';
import type { RunListItem } from '../view/view-types.js';
import { loadAssets, type Asset } from './assets.js';
import { RunFeed, type RunFeedOptions } from './run-feed.js';

export interface DashboardOptions {
  /** The runs folder (`.godmode/runs`). */
  root: string;
  /** Run directories to show besides those under `root` (a run given by path). */
  extraRuns?: string[];
  /** 0 (the default) takes a free port. */
  port?: number;
  /** Fixed token (tests); by default 32 random bytes. */
  token?: string;
  feed?: RunFeedOptions;
  /** A feed nobody watches is closed after this long. Default 30 s. */
  idleCloseMs?: number;
}

export interface Dashboard {
  /** The URL to open, token included: `http://127.0.0.1:<port>/?token=…` (add `&run=<id>` for a run). */
  url: string;
  origin: string;
  port: number;
  token: string;
  /** Stops following, ends every page's event stream and closes the server. */
  close(): Promise<void>;
}

const securityHeaders: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cache-control': 'no-store',
};

/**
 * The dashboard: a read-only HTTP server on 127.0.0.1 that serves one page and, per run, a stream of
 * server-sent events built from the run store's incremental follow of the journal.
 */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const assets = loadAssets();
  const feeds = new Map<string, { feed: RunFeed; idle: NodeJS.Timeout | null }>();
  const streams = new Set<ServerResponse>();
  let port = 0;
  const cookieName = () => `godmode_dashboard_${port}`;

  const runDirs = async (): Promise<Map<string, { dir: string; item: RunListItem }>> => {
    const runs = await listRuns(options.root);
    const map = new Map(runs.map((r) => [r.id, { dir: r.dir, item: { id: r.id, state: r.state, holder: r.holder, startedAt: r.startedAt, updatedAt: r.updatedAt } }]));
    for (const dir of options.extraRuns ?? []) {
      const found = (await listRuns(path.dirname(dir))).find((r) => r.dir === path.resolve(dir));
      if (found) map.set(found.id, { dir: found.dir, item: { id: found.id, state: found.state, holder: found.holder, startedAt: found.startedAt, updatedAt: found.updatedAt } });
    }
    return map;
  };

  const feedFor = async (id: string): Promise<RunFeed | null> => {
    const known = feeds.get(id);
    if (known) return known.feed;
    const run = (await runDirs()).get(id);
    if (!run) return null;
    const feed = new RunFeed(await openRun(run.dir), options.feed);
    feeds.set(id, { feed, idle: null });
    return feed;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const verdict = guardRequest({
      remoteAddress: req.socket.remoteAddress,
      host: req.headers.host,
      origin: req.headers.origin,
      queryToken: url.searchParams.get('token'),
      cookieToken: cookieToken(req.headers.cookie, cookieName()),
      ownHost: `127.0.0.1:${port}`,
      token,
    });
    if (!verdict.ok) return send(res, verdict.status, 'text/plain; charset=utf-8', `refused: ${verdict.reason}\n`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'read-only: GET only\n', { allow: 'GET, HEAD' });
    if (verdict.via === 'query') {
      // The token moves to a cookie and out of the address bar (and out of the history).
      url.searchParams.delete('token');
      res.writeHead(303, {
        ...securityHeaders,
        location: `${url.pathname}${url.search}`,
        'set-cookie': `${cookieName()}=${token}; HttpOnly; SameSite=Strict; Path=/`,
      });
      res.end();
      return;
    }
    const asset = assets.get(url.pathname);
    if (asset) return send(res, 200, asset.type, asset.body);
    if (url.pathname === '/api/runs') {
      const items = [...(await runDirs()).values()].map((r) => r.item);
      return send(res, 200, 'application/json', JSON.stringify(items));
    }
    const events = /^\/api\/runs\/([^/]+)\/events$/.exec(url.pathname);
    if (events) {
      const feed = await feedFor(decodeURIComponent(events[1] as string));
      if (!feed) return send(res, 404, 'text/plain; charset=utf-8', 'no such run\n');
      return stream(feed, decodeURIComponent(events[1] as string), req, res);
    }
    return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
  };

  const stream = async (feed: RunFeed, id: string, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const entry = feeds.get(id);
    if (entry?.idle) {
      clearTimeout(entry.idle);
      entry.idle = null;
    }
    res.writeHead(200, { ...securityHeaders, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
    res.write('retry: 1000\n\n');
    streams.add(res);
    const unsubscribe = await feed.subscribe((message) => res.write(`data: ${message}\n\n`));
    const heartbeat = setInterval(() => res.write(': alive\n\n'), 15_000);
    heartbeat.unref();
    const done = () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(res);
      const e = feeds.get(id);
      if (e && e.feed.listenerCount === 0 && !e.idle) {
        e.idle = setTimeout(() => {
          feeds.delete(id);
          void e.feed.close();
        }, options.idleCloseMs ?? 30_000);
        e.idle.unref();
      }
    };
    req.on('close', done);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `dashboard error: ${(error as Error).message}\n`);
      else res.end();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 0; // event streams stay open

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new DashboardListenError({ port: options.port ?? 0, reason: error.code === 'EADDRINUSE' ? 'the port is taken' : error.message, cause: error })),
    );
    server.listen({ host: '127.0.0.1', port: options.port ?? 0 }, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    async close() {
      for (const res of streams) res.end();
      await Promise.all([...feeds.values()].map((e) => (e.idle && clearTimeout(e.idle), e.feed.close())));
      feeds.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer | Asset['body'], extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...securityHeaders, ...extra, 'content-type': type, 'content-length': String(Buffer.byteLength(body)) });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
