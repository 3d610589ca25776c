import { describe, expect, it } from 'vitest';
import { parseStatus } from './worktree-changes.js';

const oid = 'a'.repeat(40);
const h = 'b'.repeat(40);
const z = '0'.repeat(40);

// `git status --porcelain=v2 -z --branch` records → which paths `git add -A` would change in the index.
describe('parseStatus', () => {
  it.each([
    ['nothing at all', [`# branch.oid ${oid}`, '# branch.head main'], [], true],
    ['changed only in the index (taken by an earlier snapshot)', [`1 M. N... 100644 100644 100644 ${h} ${oid} src/a.ts`], [], false],
    ['modified in the work tree', [`1 .M N... 100644 100644 100644 ${h} ${h} src/a.ts`], ['src/a.ts'], false],
    ['deleted from the work tree', [`1 .D N... 100644 100644 000000 ${h} ${h} src/b.ts`], ['src/b.ts'], false],
    ['a mode or type change', [`1 .M N... 100644 100644 100755 ${h} ${h} bin/x`, `1 .T N... 100644 100644 120000 ${h} ${h} link`], ['bin/x', 'link'], false],
    ['staged, then changed again', [`1 MM N... 100644 100644 100644 ${h} ${oid} src/a.ts`], ['src/a.ts'], false],
    ['intent to add', [`1 .A N... 000000 000000 100644 ${z} ${z} src/i.ts`], ['src/i.ts'], false],
    ['a path with spaces', [`1 .M N... 100644 100644 100644 ${h} ${h} a dir/with  spaces.ts`], ['a dir/with  spaces.ts'], false],
    ['a path with a newline', [`? odd/new\nline.ts`], ['odd/new\nline.ts'], false],
    ['untracked files', ['? new/one/two.ts', '? x.ts'], ['new/one/two.ts', 'x.ts'], false],
    ['an untracked nested repository, named by its folder', ['? vendor/lib/'], ['vendor/lib'], false],
    ['an unmerged entry', [`u UU N... 100644 100644 100644 100644 ${h} ${h} ${oid} src/a.ts`], ['src/a.ts'], false],
    ['a rename, should one show', [`2 R. N... 100644 100644 100644 ${h} ${h} R100 src/new.ts`, 'src/old.ts'], ['src/new.ts', 'src/old.ts'], false],
    ['a gitlink whose commit moved', [`1 .M SC.. 160000 160000 160000 ${h} ${h} sub`], ['sub'], false],
  ] as const)('%s', (_what, records, update, clean) => {
    const parsed = parseStatus(`${[`# branch.oid ${oid}`, ...records].join('\0')}\0`);
    expect(parsed).toEqual({ update, clean, head: oid });
  });

  it('reads an unborn branch as no head', () => {
    expect(parseStatus('# branch.oid (initial)\0# branch.head main\0? a.ts\0')).toEqual({ update: ['a.ts'], clean: false, head: null });
  });
});
