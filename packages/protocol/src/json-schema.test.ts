import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { claimJsonSchema, cliEventJsonSchema, planJsonSchema } from './json-schema.js';

// The committed files are what non-TypeScript workers read; regenerate with `pnpm --filter @godmode/protocol schemas`.
describe('committed JSON Schemas', () => {
  it.each([
    ['plan.schema.json', planJsonSchema],
    ['claim.schema.json', claimJsonSchema],
    ['cli-event.schema.json', cliEventJsonSchema],
  ])('%s is current', (file, make) => {
    const committed = JSON.parse(readFileSync(new URL(`../schemas/${file}`, import.meta.url), 'utf8'));
    expect(committed).toEqual(make());
  });

  it('lets unknown claim fields through', () => {
    expect(claimJsonSchema().additionalProperties).toEqual({});
  });
});
