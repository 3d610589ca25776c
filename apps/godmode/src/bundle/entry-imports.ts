import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

/**
 * esbuild writes, in every entry file of a split bundle, an `import "./chunk-X.js"` for every chunk the entry
 * needs, so that they are evaluated in one order — `commands/orchestra/status.js` had 24. Node resolves each
 * import statement on every start (URL, stat, realpath: ≈ 0.15 ms each even for a module already loaded), and
 * most of these chunks are reached anyway through the entry's imports of names. This drops an entry's bare
 * import of a chunk that its named imports already reach, so what a start loads is unchanged (the closure is
 * the same by construction) and only the order among chunks that do not import each other may differ: their
 * top-level code reads only what it imports (esbuild links everything else through imports), and bundled
 * CommonJS runs when it is required, not when its chunk is evaluated. Measured: `orchestra status --json`
 * 180.8 → 172.4 ms, `orchestra ls --json` 171.0 → 158.9 ms (31 interleaved runs each, same machine).
 */
export function trimEntryImports(dist: string): { files: number; dropped: number } {
  const cache = new Map<string, Header>();
  const read = (file: string) => {
    let header = cache.get(file);
    if (!header) cache.set(file, (header = importHeader(file, readFileSync(file, 'utf8'))));
    return header;
  };
  const closure = (starts: string[]) => {
    const seen = new Set<string>();
    const stack = [...starts];
    while (stack.length > 0) {
      const file = stack.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const header = read(file);
      stack.push(...header.named, ...header.bare.map((b) => b.target));
    }
    return seen;
  };
  let files = 0;
  let dropped = 0;
  for (const name of readdirSync(dist, { recursive: true, encoding: 'utf8' })) {
    if (!name.endsWith('.js')) continue;
    const file = join(dist, name);
    const header = read(file);
    const reached = closure(header.named);
    const drop = header.bare.filter((b) => reached.has(b.target));
    if (drop.length === 0) continue;
    let text = header.text;
    // From the last, so earlier offsets stay right.
    for (const b of drop.reverse()) text = text.slice(0, b.start) + text.slice(b.end);
    writeFileSync(file, text);
    files++;
    dropped += drop.length;
  }
  return { files, dropped };
}

interface Header {
  text: string;
  /** Files imported for names. */
  named: string[];
  /** Files imported bare, with where the statement is. */
  bare: Array<{ target: string; start: number; end: number }>;
}

/**
 * The import statements esbuild writes at the top of a file (after the banner's line): read one after another
 * from the start of the second line until something else comes, so text inside the code is never taken for one.
 */
export function importHeader(file: string, text: string): Header {
  const statement = /import\s*(?:(\{[^}]*\}|\*\s*as\s+[\w$]+|[\w$]+)\s*from\s*)?"([^"]+)";?/y;
  const header: Header = { text, named: [], bare: [] };
  let at = text.indexOf('\n') + 1;
  for (;;) {
    statement.lastIndex = at;
    const m = statement.exec(text);
    if (!m) break;
    const spec = m[2]!;
    if (spec.startsWith('./') || spec.startsWith('../')) {
      const target = normalize(join(dirname(file), spec));
      if (m[1] === undefined) header.bare.push({ target, start: at, end: statement.lastIndex });
      else header.named.push(target);
    }
    at = statement.lastIndex;
  }
  return header;
}
