import type { IncomingMessage, ServerResponse } from 'node:http';

/** A node:http request (its body already read) as the web-standard `Request` an edge-function handler takes. */
export function toWebRequest(req: IncomingMessage, target: URL, body: string): Request {
  return new Request(target, {
    method: req.method ?? 'GET',
    headers: Object.entries(req.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, Array.isArray(v) ? v.join(', ') : v] as [string, string]])),
    body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
  });
}

/** Writes a handler's `Response` back to node:http. */
export async function sendWebResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((v, k) => (headers[k] = v));
  const text = await response.text();
  res.writeHead(response.status, headers);
  res.end(text);
}
