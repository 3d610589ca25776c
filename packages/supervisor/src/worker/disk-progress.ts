import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const skipped = new Set(['node_modules', '.git']);

/**
 * Files created, changed or grown in a work tree since the last scan, with no blind spots and a bounded cost
 * per scan, however large the tree:
 * - every known directory is stat'ed each scan, and re-listed when its mtime moved — so a file created,
 *   renamed or removed anywhere is seen at the next scan;
 * - files are stat'ed in a rolling window of `filesPerScan`, resuming where the last scan stopped — so a file
 *   rewritten in place (which does not touch its directory) is seen within ⌈files / filesPerScan⌉ scans.
 * Chosen over inotify, which misses directories created after the watch starts and needs a watch per folder.
 */
export class DiskProgress {
  private files = new Map<string, string>();
  private dirs = new Map<string, number>();
  private order: string[] = [];
  private cursor = 0;
  private primed = false;

  constructor(
    readonly root: string,
    private readonly ignore: (path: string) => boolean = () => false,
    private readonly filesPerScan = 20_000,
  ) {}

  /** How many files and folders are known: the size of the tree being watched. */
  get size(): { files: number; dirs: number } {
    return { files: this.files.size, dirs: this.dirs.size };
  }

  scan(): { created: number; changed: number; paths: string[] } {
    const result = { created: 0, changed: 0, paths: [] as string[] };
    if (!this.primed) {
      this.primed = true;
      this.list(this.root, null);
      return result;
    }
    const touched = new Set<string>();
    for (const [dir, mtime] of [...this.dirs]) {
      let now: number;
      try {
        now = statSync(dir).mtimeMs;
      } catch {
        this.forget(dir);
        continue;
      }
      if (now !== mtime) this.list(dir, { result, touched });
    }
    let budget = Math.min(this.filesPerScan, this.order.length);
    while (budget-- > 0 && this.order.length > 0) {
      if (this.cursor >= this.order.length) this.cursor = 0;
      const path = this.order[this.cursor++] as string;
      const before = this.files.get(path);
      if (before === undefined || touched.has(path)) continue;
      const sig = signature(path);
      if (sig === null) this.files.delete(path);
      else if (sig !== before) {
        this.files.set(path, sig);
        this.count(result, path, 'changed');
      }
    }
    // Paths of removed files linger in the rolling order until it is rebuilt.
    if (this.order.length > 2 * this.files.size + 1024) {
      this.order = [...this.files.keys()];
      this.cursor = 0;
    }
    return result;
  }

  /** Lists one directory: new files are created, changed ones changed, new subdirectories walked whole. */
  private list(dir: string, into: { result: ReturnType<DiskProgress['scan']>; touched: Set<string> } | null): void {
    let entries;
    let mtime: number;
    try {
      mtime = statSync(dir).mtimeMs;
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      this.forget(dir);
      return;
    }
    this.dirs.set(dir, mtime);
    for (const e of entries) {
      const full = join(dir, e.name);
      if (e.isDirectory()) {
        if (!skipped.has(e.name) && !this.dirs.has(full)) this.list(full, into);
        continue;
      }
      if (!e.isFile() || this.ignore(full)) continue;
      const sig = signature(full);
      if (sig === null) continue;
      const before = this.files.get(full);
      if (before === sig) continue;
      this.files.set(full, sig);
      if (before === undefined) this.order.push(full);
      if (into) {
        into.touched.add(full);
        this.count(into.result, full, before === undefined ? 'created' : 'changed');
      }
    }
  }

  private forget(dir: string): void {
    const prefix = `${dir}/`;
    for (const d of this.dirs.keys()) if (d === dir || d.startsWith(prefix)) this.dirs.delete(d);
    for (const f of this.files.keys()) if (f.startsWith(prefix)) this.files.delete(f);
  }

  private count(result: { created: number; changed: number; paths: string[] }, path: string, kind: 'created' | 'changed'): void {
    result[kind]++;
    if (result.paths.length < 20) result.paths.push(relative(this.root, path));
  }
}

function signature(path: string): string | null {
  try {
    const s = statSync(path);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return null;
  }
}
