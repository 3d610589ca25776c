import { lstat, opendir } from 'node:fs/promises';
import path from 'node:path';

/**
 * How many names each inode has inside a tree. Built on first use by one walk of the whole tree (symlinks
 * not followed), so a reconcile pays for it only when some file has more than one hard link.
 */
export class LinkCensus {
  private counts: Promise<Map<string, number>> | null = null;

  constructor(private readonly realRoot: string) {}

  async namesOf(dev: number, ino: number): Promise<number> {
    this.counts ??= this.walk();
    return (await this.counts).get(`${dev}:${ino}`) ?? 0;
  }

  private async walk(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    const queue = [this.realRoot];
    while (queue.length > 0) {
      const dir = queue.pop() as string;
      let handle;
      try {
        handle = await opendir(dir);
      } catch {
        continue;
      }
      for await (const entry of handle) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) queue.push(full);
        else if (entry.isFile()) {
          const st = await lstat(full).catch(() => null);
          if (st && st.nlink > 1) counts.set(`${st.dev}:${st.ino}`, (counts.get(`${st.dev}:${st.ino}`) ?? 0) + 1);
        }
      }
    }
    return counts;
  }
}
