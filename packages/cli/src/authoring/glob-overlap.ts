import picomatch from 'picomatch';

/**
 * Whether two globs (or literal paths) can name the same file, answered with an example path that matches
 * both, or `undefined` when none was found. Sound in one direction: an answer is always a real witness
 * (checked with picomatch against both globs); a miss is not proof of disjointness, so candidates are
 * generated generously: samples of each glob, each glob's samples under the other's literal prefix, and the
 * repository's existing files.
 */
export function globsOverlap(a: string, b: string, existing: readonly string[] = []): string | undefined {
  const matchA = matcher(a);
  const matchB = matcher(b);
  const seen = new Set<string>();
  const test = (candidate: string): boolean => {
    if (seen.has(candidate)) return false;
    seen.add(candidate);
    return matchA(candidate) && matchB(candidate);
  };
  const samplesA = globSamples(a);
  const samplesB = globSamples(b);
  const prefixA = literalPrefix(a);
  const prefixB = literalPrefix(b);
  const candidates = [
    ...samplesA,
    ...samplesB,
    // A tail of one glob under the other's fixed folder: `**/*.test.ts` vs `src/api/**` → src/api/x.test.ts.
    ...samplesA.map((s) => joinPath(prefixB, stripPrefix(s, prefixA))),
    ...samplesB.map((s) => joinPath(prefixA, stripPrefix(s, prefixB))),
    ...samplesA.flatMap((s) => samplesB.map((t) => joinPath(dirOf(t), baseOf(s)))),
    ...samplesB.flatMap((s) => samplesA.map((t) => joinPath(dirOf(t), baseOf(s)))),
  ];
  for (const candidate of candidates) if (candidate !== '' && test(candidate)) return candidate;
  for (const variantA of expandBraces(a).slice(0, 8)) {
    for (const variantB of expandBraces(b).slice(0, 8)) {
      const unified = unifySegments(variantA.split('/'), variantB.split('/'));
      if (unified !== undefined && test(unified)) return unified;
    }
  }
  for (const file of existing) if (test(file)) return file;
  return undefined;
}

/**
 * A path both segment lists match, built segment by segment (`**` takes zero or more of the other's
 * segments): the search the sampled candidates cannot do, e.g. `src/*\/handlers/*.ts` vs `src/orders/**`.
 */
function unifySegments(a: string[], b: string[]): string | undefined {
  const failed = new Set<string>();
  const walk = (i: number, j: number): string[] | undefined => {
    const key = `${i},${j}`;
    if (failed.has(key)) return undefined;
    let out: string[] | undefined;
    if (i === a.length && j === b.length) out = [];
    else if (a[i] === '**') {
      out = walk(i + 1, j) ?? (j < b.length ? prepend(segmentWitness(b[j] as string, '*'), walk(i, j + 1)) : undefined);
    } else if (b[j] === '**') {
      out = walk(i, j + 1) ?? (i < a.length ? prepend(segmentWitness(a[i] as string, '*'), walk(i + 1, j)) : undefined);
    } else if (i < a.length && j < b.length) {
      out = prepend(segmentWitness(a[i] as string, b[j] as string), walk(i + 1, j + 1));
    }
    if (out === undefined) failed.add(key);
    return out;
  };
  const segments = walk(0, 0);
  return segments === undefined ? undefined : segments.join('/');
}

function prepend(head: string | undefined, tail: string[] | undefined): string[] | undefined {
  return head === undefined || tail === undefined ? undefined : [head, ...tail];
}

/** A name that both segment patterns match (no `/`), from each one's samples and literal parts. */
function segmentWitness(p: string, q: string): string | undefined {
  const mp = matcher(p);
  const mq = matcher(q);
  const literal = (g: string): string => g.replace(/[*?]|\[[^\]]*\]|[{}]/g, '');
  const candidates = [...globSamples(p), ...globSamples(q), literal(p) + literal(q), literal(q) + literal(p), `x${literal(p)}${literal(q)}`, `x${literal(q)}${literal(p)}`];
  return candidates.find((c) => c !== '' && !c.includes('/') && mp(c) && mq(c));
}

const compiled = new Map<string, (path: string) => boolean>();

/** picomatch's matcher for a glob (dotfiles included), compiled once per process: compiling is the costly part. */
export function matcher(glob: string): (path: string) => boolean {
  let match = compiled.get(glob);
  if (!match) {
    if (compiled.size > 10_000) compiled.clear();
    match = picomatch(glob, { dot: true });
    compiled.set(glob, match);
  }
  return match;
}

/** The folder part of a glob before its first wildcard segment: `src/api/**\/*.ts` → `src/api`. */
export function literalPrefix(glob: string): string {
  const segments = glob.split('/');
  const fixed: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    if (/[*?[\]{}()!+@]/.test(segment)) break;
    fixed.push(segment);
  }
  if (fixed.length === segments.length - 1 && !/[*?[\]{}()!+@]/.test(segments.at(-1) ?? '')) return glob;
  return fixed.join('/');
}

const MAX_SAMPLES = 64;

/**
 * Concrete paths a glob matches (some of them): braces expanded, `*` and `?` filled with a letter,
 * `**` as zero, one and two folders, a character class as its first character.
 */
export function globSamples(glob: string): string[] {
  let variants = expandBraces(glob).slice(0, MAX_SAMPLES);
  variants = variants.flatMap((v) => {
    const parts = v.split('**');
    let out = [parts[0] ?? ''];
    for (const part of parts.slice(1)) {
      const next: string[] = [];
      for (const head of out) for (const fill of ['x', '', 'x/y']) next.push(head + fill + part);
      out = next.slice(0, MAX_SAMPLES);
    }
    return out;
  });
  return [
    ...new Set(
      variants.map((v) =>
        v
          .replace(/\[!?\^?([^\]])[^\]]*\]/g, (whole, first: string) => (whole.startsWith('[!') || whole.startsWith('[^') ? '_' : first))
          .replace(/\*/g, 'x')
          .replace(/\?/g, 'x')
          .replace(/\/{2,}/g, '/')
          .replace(/^\/|\/$/g, '')
          .replace(/(^|\/)\.\//g, '$1'),
      ),
    ),
  ].slice(0, MAX_SAMPLES);
}

function expandBraces(glob: string): string[] {
  const m = /\{([^{}]*)\}/.exec(glob);
  if (!m) return [glob];
  const before = glob.slice(0, m.index);
  const after = glob.slice(m.index + m[0].length);
  return (m[1] ?? '').split(',').flatMap((choice) => expandBraces(before + choice + after)).slice(0, MAX_SAMPLES);
}

function joinPath(dir: string, rest: string): string {
  return dir === '' ? rest : rest === '' ? dir : `${dir}/${rest}`;
}

function stripPrefix(path: string, prefix: string): string {
  if (prefix === '') return path;
  return path === prefix ? '' : path.startsWith(prefix + '/') ? path.slice(prefix.length + 1) : path;
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function baseOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
