// Regenerates schemas/*.json from the built package: `pnpm --filter @godmode/protocol schemas`.
import { writeFileSync } from 'node:fs';
import { claimJsonSchema, cliEventJsonSchema, planJsonSchema } from '../dist/index.js';

const dir = new URL('../schemas/', import.meta.url);
writeFileSync(new URL('plan.schema.json', dir), JSON.stringify(planJsonSchema(), null, 2) + '\n');
writeFileSync(new URL('claim.schema.json', dir), JSON.stringify(claimJsonSchema(), null, 2) + '\n');
writeFileSync(new URL('cli-event.schema.json', dir), JSON.stringify(cliEventJsonSchema(), null, 2) + '\n');
