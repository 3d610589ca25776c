import { describe, expect, it } from 'vitest';
import picomatch from 'picomatch';
import { commandNames, filesOutsideOwns, globsOverlap, literalPrefix } from '../../src/authoring/index.js';

// Every answer is a witness matched by both globs; a table pins which pairs overlap.
describe('globsOverlap', () => {
  it.each([
    ['src/**', 'src/api/*.ts', true],
    ['**/*.test.ts', 'src/api/**', true],
    ['src/api/**', 'src/web/**', false],
    ['src/a.ts', 'src/a.ts', true],
    ['src/a.ts', 'src/b.ts', false],
    ['src/*.ts', 'src/a.ts', true],
    ['src/*.ts', 'src/a.js', false],
    ['docs/**/*.md', '**/README.md', true],
    ['src/{api,web}/**', 'src/web/index.ts', true],
    ['src/{api,web}/**', 'src/cli/index.ts', false],
    ['lib/**', 'test/**', false],
    ['**', 'anything/at/all.txt', true],
    ['src/**/*.ts', 'src/**/*.py', false],
    ['packages/*/src/**', 'packages/cli/**', true],
    ['notes/recon.md', 'notes/*.md', true],
  ])('%s vs %s → %s', (a, b, overlaps) => {
    const example = globsOverlap(a, b);
    expect(example !== undefined).toBe(overlaps);
    if (example !== undefined) {
      expect(picomatch(a, { dot: true })(example)).toBe(true);
      expect(picomatch(b, { dot: true })(example)).toBe(true);
    }
  });

  it.each([
    ['src/*/handlers/*.ts', 'src/orders/**'],
    ['**/[a-c]*.ts', 'src/z/**'],
    ['**/api/**/*.ts', 'packages/*/src/**'],
  ])('unifies %s with %s segment by segment', (a, b) => {
    const example = globsOverlap(a, b);
    expect(example).toBeDefined();
    expect(picomatch(a, { dot: true })(example!) && picomatch(b, { dot: true })(example!)).toBe(true);
  });

  it('falls back on the repository’s files for patterns it cannot sample', () => {
    expect(globsOverlap('src/@(alpha|beta).ts', 'src/b*', [])).toBeUndefined();
    expect(globsOverlap('src/@(alpha|beta).ts', 'src/b*', ['README.md', 'src/beta.ts'])).toBe('src/beta.ts');
  });

  it.each([
    ['src/api/**/*.ts', 'src/api'],
    ['src/a.ts', 'src/a.ts'],
    ['**/*.md', ''],
    ['src/{a,b}/x', 'src'],
  ])('literalPrefix(%s) = %s', (glob, prefix) => expect(literalPrefix(glob)).toBe(prefix));
});

describe('commandNames', () => {
  it.each([
    ['pnpm test', ['pnpm']],
    ['CI=1 npm run lint && npx tsc --noEmit', ['npm', 'npx']],
    ['cd pkg && go test ./... | tee out.log', ['go', 'tee']],
    ['env FOO=1 cargo test', ['cargo']],
    ['"$HOME/bin/x" --y; ./gradlew test', ['./gradlew']],
    ["node -e 'a && b; c'", ['node']],
    ['(cd x; make) || true', ['make']],
    ['', []],
  ])('%s → %j', (line, names) => expect(commandNames(line)).toEqual(names));
});

describe('filesOutsideOwns', () => {
  it.each([
    [{ owns: ['src/api/**'], deliverables: [] }, ['src/api/a.ts', 'src/web/b.ts', 'README.md'], ['src/web/b.ts', 'README.md']],
    [{ deliverables: [{ path: 'a.md' }, { glob: 'docs/*.md', min: 1 }] }, ['a.md', 'docs/x.md', 'docs/deep/y.md'], ['docs/deep/y.md']],
    [{ deliverables: [] }, ['anything.ts'], []],
    [{ owns: ['**'], deliverables: [] }, ['.github/workflows/ci.yml', 'x'], []],
  ])('%j changed %j → outside %j', (stream, changed, outside) => expect(filesOutsideOwns(stream, changed)).toEqual(outside));
});
