import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const skipped = new Set(['node_modules', '.git']);

/**
 * Files created, changed or grown in a work tree since the last scan: an incremental stat scan.
 * Chosen over inotify because Node's recursive fs.watch on Linux misses events in directories
 * created after the watch starts, and a stat scan of a worker's tree costs little at 1 s.
 */
export class DiskProgress {
  private seen = new Map<string, string>();
  private primed = false;

  constructor(
    readonly root: string,
    private readonly ignore: (path: string) => boolean = () => false,
    private readonly maxFiles = 20_000,
  ) {}

  scan(): { created: number; changed: number; paths: string[] } {
    const now = new Map<string, string>();
    const stack = [this.root];
    while (stack.length > 0 && now.size < this.maxFiles) {
      const dir = stack.pop() as string;
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        const full = join(dir, e.name);
        if (e.isDirectory()) {
          if (!skipped.has(e.name)) stack.push(full);
          continue;
        }
        if (!e.isFile() || this.ignore(full)) continue;
        try {
          const s = statSync(full);
          now.set(full, `${s.size}:${s.mtimeMs}`);
        } catch {
          // removed between readdir and stat
        }
      }
    }
    let created = 0;
    let changed = 0;
    const paths: string[] = [];
    if (this.primed) {
      for (const [path, sig] of now) {
        const before = this.seen.get(path);
        if (before === sig) continue;
        if (before === undefined) created++;
        else changed++;
        if (paths.length < 20) paths.push(relative(this.root, path));
      }
    }
    this.seen = now;
    this.primed = true;
    return { created, changed, paths };
  }
}
