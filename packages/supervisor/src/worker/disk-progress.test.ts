import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DiskProgress } from './disk-progress.js';

const root = mkdtempSync(join(tmpdir(), 'godmode-disk-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('disk progress', () => {
  it('has no blind spot in a tree of 30,000 files: a write in any folder is seen within two scans', { timeout: 120_000 }, () => {
    const folders = Array.from({ length: 30 }, (_, i) => `part-${String(i).padStart(2, '0')}`);
    for (const f of folders) {
      mkdirSync(join(root, f));
      for (let i = 0; i < 1_000; i++) writeFileSync(join(root, f, `f${i}.txt`), 'x');
    }
    const disk = new DiskProgress(root, () => false, 20_000);
    disk.scan();
    expect(disk.size.files).toBe(30_000);
    const missed: string[] = [];
    for (const f of folders) {
      // Rewritten in place: the folder's mtime does not move; only the rolling scan can see it.
      appendFileSync(join(root, f, 'f500.txt'), 'more');
      const seen = [disk.scan(), disk.scan()].reduce((n, r) => n + r.changed, 0);
      if (seen !== 1) missed.push(`${f}: ${seen}`);
    }
    expect(missed).toEqual([]);
    // Created anywhere, even deep in a folder made after the first scan: seen at the very next scan.
    mkdirSync(join(root, 'part-29', 'late', 'deeper'), { recursive: true });
    writeFileSync(join(root, 'part-29', 'late', 'deeper', 'new.ts'), 'export {}');
    writeFileSync(join(root, 'part-00', 'new.txt'), 'y');
    const next = disk.scan();
    expect(next.created).toBe(2);
    expect(next.paths.sort()).toEqual(['part-00/new.txt', 'part-29/late/deeper/new.ts']);
  });

  it('ignores what it is told to, and skips node_modules and .git', () => {
    const d = mkdtempSync(join(tmpdir(), 'godmode-disk-small-'));
    const disk = new DiskProgress(d, (p) => p.endsWith('.log'));
    disk.scan();
    mkdirSync(join(d, 'node_modules', 'x'), { recursive: true });
    writeFileSync(join(d, 'node_modules', 'x', 'a.js'), '1');
    writeFileSync(join(d, 'out.log'), '1');
    writeFileSync(join(d, 'a.ts'), '1');
    expect(disk.scan()).toEqual({ created: 1, changed: 0, paths: ['a.ts'] });
    rmSync(d, { recursive: true, force: true });
  });
});
