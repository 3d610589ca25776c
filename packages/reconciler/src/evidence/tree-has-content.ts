import { opendir } from 'node:fs/promises';
import path from 'node:path';
import type { HashCache } from './hash-cache.js';
import { inspectFile } from './inspect-file.js';
import { skippedFolders } from './deliverables.js';
import { LinkCensus } from './link-census.js';

/**
 * True when the work tree holds at least one file that would count as a deliverable (regular, inside,
 * not a stub), outside `node_modules` and `.git`. Stops at the first one: used only for streams that
 * list no deliverables, where the tree itself is the one thing to show.
 */
export async function treeHasContent(realRoot: string, cache?: HashCache): Promise<boolean> {
  const queue = [''];
  const links = new LinkCensus(realRoot);
  const dirs = new Map<string, Promise<string | null>>();
  while (queue.length > 0) {
    const rel = queue.shift() as string;
    let dir;
    try {
      dir = await opendir(path.join(realRoot, rel));
    } catch {
      continue;
    }
    for await (const entry of dir) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!(skippedFolders as readonly string[]).includes(entry.name)) queue.push(child);
      } else if ((await inspectFile(realRoot, child, cache, dirs, links)).ok) {
        return true;
      }
    }
  }
  return false;
}
