import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import writeFileAtomicLib from 'write-file-atomic';

/**
 * Replaces a file whole: a temp file with a unique name (write-file-atomic), fsync, rename, then fsync of its
 * folder so the rename survives a power cut. The temp file is created with `mode`, so a secret is never
 * readable by others, not even for an instant; readers see the old content or the new, never a mix.
 */
export async function writeFileAtomic(file: string, data: string, options: { mode: number }): Promise<void> {
  await writeFileAtomicLib(file, data, { mode: options.mode, fsync: true });
  let handle;
  try {
    handle = await open(dirname(file), 'r');
    await handle.sync();
  } catch {
    // Some filesystems refuse fsync on a folder; the rename is still atomic there.
  } finally {
    await handle?.close();
  }
}
