import { testRunStoreBackend } from '@godmode/run-store/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { migrateFleetSchema, openPgRecords } from '../src/index.js';
import { pgSkipReason, startPgCluster, type PgCluster } from './support/pg-cluster.js';

if (pgSkipReason) console.warn(`[pg-conformance.test] skipped: ${pgSkipReason}`);

let cluster: PgCluster;
let admin: pg.Pool;
let runs = 0;

describe.skipIf(pgSkipReason !== null)('Postgres backend', () => {
  beforeAll(async () => {
    cluster = await startPgCluster({ fsync: false });
    admin = new pg.Pool({ connectionString: cluster.url(), max: 2 });
    await migrateFleetSchema(admin);
  });
  afterAll(async () => {
    await admin?.end();
    await cluster?.stop();
  });

  testRunStoreBackend({
    name: 'PostgreSQL 15',
    async createRun() {
      const runId = `conformance-${++runs}`;
      const pools: pg.Pool[] = [];
      return {
        async open() {
          // Each view its own pool: another process, as far as Postgres can tell.
          const pool = new pg.Pool({ connectionString: cluster.url(), max: 4 });
          pools.push(pool);
          return openPgRecords(pool, runId);
        },
        async dispose() {
          for (const pool of pools) await pool.end().catch(() => undefined);
        },
      };
    },
  });
});
