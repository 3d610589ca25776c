import path from 'node:path';
import fc from 'fast-check';
import type { Deliverable } from '@godmode/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HashCache, reconcile } from '../src/index.js';
import { real, tempDir, writeTree } from './helpers/tree.js';

let root: { dir: string; remove: () => void };
const deliverables: Deliverable[] = [{ path: 'a.ts' }, { path: 'b.ts' }, { glob: 'lib/*.ts', min: 2 }];
const trees = {
  shipped: { 'a.ts': real, 'b.ts': real, 'lib/x.ts': real, 'lib/y.ts': real },
  partial: { 'a.ts': real, 'b.ts': 'TODO', 'lib/x.ts': real },
  missing: { 'a.ts': '', 'c.ts': real },
};

beforeAll(() => {
  root = tempDir();
  for (const [name, files] of Object.entries(trees)) writeTree(path.join(root.dir, name), files);
});
afterAll(() => root?.remove());

const claimContent = fc.oneof(
  fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)),
  fc.string({ maxLength: 200 }),
  fc.json({ maxDepth: 3 }),
  fc.record({ status: fc.oneof(fc.string(), fc.constantFrom('success', 'throttled stub', 'partial', 'failed', 'done')), artifacts: fc.anything() }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
  fc.anything().map((v) => {
    try {
      return JSON.stringify(v) ?? 'undefined';
    } catch {
      return String(v);
    }
  }),
);

describe('property: the claim never changes the status', () => {
  for (const name of Object.keys(trees)) {
    it(`${name} tree`, async () => {
      const workTree = path.join(root.dir, name);
      const cache = new HashCache();
      const stream = { id: 's', deliverables };
      const bare = await reconcile({ stream, workTree, cache, git: false });
      expect(bare.status).toBe(name);
      await fc.assert(
        fc.asyncProperty(claimContent, async (text) => {
          const v = await reconcile({ stream, workTree, claim: { text }, cache, git: false });
          expect(v.status).toBe(bare.status);
          expect(v.deliverables).toEqual(bare.deliverables);
        }),
        { numRuns: 150 },
      );
    });
  }
});
