import { describe, expect, it } from 'vitest';
import { PlanError } from '../errors/plan-error.js';
import { parsePlan, PLAN_MAX_BYTES } from './parse-plan.js';

const stream = (id: string) => `      - id: ${id}\n        worker: { adapter: command, options: { command: "true" } }\n`;

function planError(text: string): PlanError {
  try {
    parsePlan(text, 'plan.yaml');
  } catch (error) {
    if (PlanError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('parsed');
}

describe('plan limits', () => {
  it('a YAML alias bomb is a clear plan error, not a crash', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`), 'name: bomb', 'phases: []'].join('\n');
    const e = planError(bomb);
    expect(e.message).toMatch(/alias/i);
    expect(e.message).toMatch(/plan\.yaml/);
  });

  it(`a plan over ${PLAN_MAX_BYTES} bytes is refused before it is parsed`, () => {
    const e = planError(`name: big\n# ${'x'.repeat(PLAN_MAX_BYTES)}\nphases: []\n`);
    expect(e.message).toMatch(/larger than 1 MiB/);
  });

  it('prints the first 20 problems and how many more there are', () => {
    const text = `name: dup\nphases:\n  - id: one\n    streams:\n${Array.from({ length: 60 }, (_, i) => `      - id: s${i}\n        worker: { adapter: nope${i}, options: {} }\n`).join('')}`;
    const e = planError(text);
    expect(e.issues.length).toBe(60);
    expect(e.message.split('\n').filter((l) => l.startsWith('  at ')).length).toBe(20);
    expect(e.message).toMatch(/and 40 more problems/);
    expect(e.message.length).toBeLessThan(5000);
    void stream;
  });
});
