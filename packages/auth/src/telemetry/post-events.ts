import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * The telemetry POST to `<supabase>/functions/v1/mcp-actions`, on node:http rather than fetch: the
 * socket is unref'd so a server that never answers cannot keep the process alive after the command,
 * and no fetch/undici machinery is loaded just to send a best-effort batch. Never rejects.
 */
export function postEvents(options: { supabaseUrl: string; supabaseKey: string; token: string; body: unknown; timeoutMs: number }): Promise<void> {
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(`${options.supabaseUrl}/functions/v1/mcp-actions`);
    } catch {
      return resolve();
    }
    const payload = JSON.stringify(options.body);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(payload),
        apikey: options.supabaseKey,
        authorization: `Bearer ${options.token}`,
      },
      timeout: options.timeoutMs,
    });
    const done = () => resolve();
    const timer = setTimeout(() => req.destroy(), options.timeoutMs);
    timer.unref();
    req.on('socket', (socket) => socket.unref());
    req.on('timeout', () => req.destroy());
    req.on('error', () => {
      clearTimeout(timer);
      done();
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => {
        clearTimeout(timer);
        done();
      });
      res.on('error', done);
    });
    req.end(payload);
  });
}
