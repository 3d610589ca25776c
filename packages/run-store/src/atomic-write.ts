import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { namingPath } from './errno-path.js';

/**
 * Temp file + fsync + rename (write-file-atomic), then fsync of the folder so the rename itself
 * survives a power cut. Readers see the old content or the new, never a mix.
 */
export async function writeTextAtomic(file: string, text: string): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  // Loaded on first write: write-file-atomic loads node:crypto and signal-exit, which commands that only read a run never need.
  const { default: writeFileAtomic } = await import('write-file-atomic');
  await namingPath(file, () => writeFileAtomic(file, text, { fsync: true }));
  await fsyncDir(dir);
}

export async function writeJsonAtomic(file: string, data: unknown): Promise<void> {
  await writeTextAtomic(file, `${JSON.stringify(data, null, 2)}\n`);
}

export async function fsyncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Some filesystems refuse fsync on a folder; the rename is still atomic there.
  } finally {
    await handle?.close();
  }
}
