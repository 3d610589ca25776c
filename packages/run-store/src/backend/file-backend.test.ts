import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Journal } from '../journal/journal.js';
import { LeaseManager } from '../lease/lease-manager.js';
import { testRunStoreBackend } from './conformance.js';
import { openFileRecords } from './file-backend.js';
import type { JournalBackend } from './journal-backend.js';
import type { LeaseBackend } from './lease-backend.js';

// The file classes are the file backend: checked structurally here, so a change that breaks the contract fails typecheck.
export type FileClassesImplement = [Journal extends JournalBackend ? true : never, LeaseManager extends LeaseBackend ? true : never];

testRunStoreBackend({
  name: 'files',
  async createRun() {
    const dir = await mkdtemp(path.join(tmpdir(), 'godmode-conformance-'));
    const runDir = path.join(dir, 'run-1');
    await mkdir(runDir);
    return {
      open: async () => openFileRecords(runDir),
      dispose: () => rm(dir, { recursive: true, force: true }),
    };
  },
});
