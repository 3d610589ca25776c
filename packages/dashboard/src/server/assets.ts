import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Asset {
  type: string;
  body: Buffer;
}

/** The folder holding `page/` (the package root), from wherever this module was loaded (src or dist). */
function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(path.join(dir, 'page', 'index.html'))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error(`the dashboard's page/ folder is missing beside ${fileURLToPath(import.meta.url)}`);
}

/**
 * The page's files, read once: the HTML, its script and style, and uPlot from node_modules (no CDN:
 * the page works without network). Served by path, nothing else on disk is reachable.
 */
export function loadAssets(): Map<string, Asset> {
  const root = packageRoot();
  const require = createRequire(import.meta.url);
  const uplotDir = path.dirname(require.resolve('uplot/package.json'));
  const files: Array<[string, string, string]> = [
    ['/', path.join(root, 'page', 'index.html'), 'text/html; charset=utf-8'],
    ['/app.js', path.join(root, 'page', 'app.js'), 'text/javascript; charset=utf-8'],
    ['/app.css', path.join(root, 'page', 'app.css'), 'text/css; charset=utf-8'],
    ['/uplot.js', path.join(uplotDir, 'dist', 'uPlot.iife.min.js'), 'text/javascript; charset=utf-8'],
    ['/uplot.css', path.join(uplotDir, 'dist', 'uPlot.min.css'), 'text/css; charset=utf-8'],
  ];
  return new Map(files.map(([route, file, type]) => [route, { type, body: readFileSync(file) }]));
}
