import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { parsePlan, PlanError, PLAN_MAX_BYTES, type ParsePlanOptions, type Plan } from '@godmode/protocol';
import { PlanFileError } from './errors/plan-file-error.js';

/** What a path is, in words, when it is not a regular file. */
function kindOf(stats: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  return 'not a file';
}

/**
 * Reads and validates a plan file (YAML or JSON). `dir` is where the plan's relative paths start.
 * Only a regular file of at most 1 MiB is read: it is opened without blocking (a FIFO would otherwise wait
 * for a writer forever) and checked through the open handle, so what is checked is what is read.
 */
export async function loadPlanFile(file: string, options: ParsePlanOptions = {}): Promise<{ plan: Plan; dir: string; file: string }> {
  const absolute = path.resolve(file);
  let handle: FileHandle;
  try {
    handle = await open(absolute, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new PlanFileError({ file, code: 'PLAN_NOT_FOUND', reason: 'no such file', cause: error });
    const reason = code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : code === 'ENXIO' ? 'it is not a regular file (a socket or a device)' : String((error as Error).message);
    throw new PlanFileError({ file, code: 'PLAN_UNREADABLE', reason, cause: error });
  }
  let text: string;
  try {
    const stats = await handle.stat();
    if (stats.isDirectory()) throw new PlanFileError({ file, code: 'PLAN_UNREADABLE', reason: 'it is a folder' });
    if (!stats.isFile()) throw new PlanFileError({ file, code: 'PLAN_UNREADABLE', reason: `it is not a regular file (${kindOf(stats)})` });
    if (stats.size > PLAN_MAX_BYTES) {
      throw new PlanError({ file, issues: [{ path: '', message: `the plan is larger than 1 MiB (${stats.size} bytes); a plan is a page of YAML — move prompts into files the workers read` }] });
    }
    // Read at most one byte past the cap: a file that grows while it is read is still refused.
    const buffer = Buffer.alloc(Math.min(stats.size, PLAN_MAX_BYTES) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) break;
    }
    text = buffer.subarray(0, length).toString('utf8');
    if (length > PLAN_MAX_BYTES) throw new PlanError({ file, issues: [{ path: '', message: 'the plan is larger than 1 MiB; a plan is a page of YAML' }] });
  } catch (error) {
    if (PlanFileError.isInstance(error) || PlanError.isInstance(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new PlanFileError({ file, code: 'PLAN_UNREADABLE', reason: code === 'EISDIR' ? 'it is a folder' : String((error as Error).message), cause: error });
  } finally {
    await handle.close();
  }
  return { plan: parsePlan(text, file, options), dir: path.dirname(absolute), file: absolute };
}
