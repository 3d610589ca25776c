import { describe, expect, it } from 'vitest';
import { PlanError } from '../errors/plan-error.js';
import { parsePlan } from './parse-plan.js';

const good = `
name: demo
phases:
  - id: build
    streams:
      - id: a
        worker: { adapter: command, options: { command: "node a.mjs" } }
        deliverables: [src/a.ts, { glob: "src/**/*.ts", min: 2 }]
`;

function errorOf(text: string): PlanError {
  try {
    parsePlan(text, 'plan.yaml');
  } catch (error) {
    if (PlanError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a PlanError');
}

describe('parsePlan', () => {
  it('fills defaults and normalises deliverables', () => {
    const plan = parsePlan(good, 'plan.yaml');
    expect(plan.settings.cpuCeiling).toBe(0.8);
    expect(plan.settings.stallWindowMs).toBe(900_000);
    expect(plan.phases[0]?.parallelism).toBe(4);
    expect(plan.phases[0]?.streams[0]?.deliverables).toEqual([{ path: 'src/a.ts' }, { glob: 'src/**/*.ts', min: 2 }]);
  });

  it('reads JSON too', () => {
    const plan = parsePlan(
      JSON.stringify({ name: 'j', phases: [{ id: 'p', streams: [{ id: 's', worker: { adapter: 'command', options: { command: ['true'] } } }] }] }),
      'plan.json',
    );
    expect(plan.phases[0]?.streams[0]?.id).toBe('s');
  });

  it('names the file and the line for bad YAML', () => {
    const e = errorOf('name: x\nphases: [\n  - id: ');
    expect(e.file).toBe('plan.yaml');
    expect(e.message).toContain('plan.yaml');
    expect(e.issues[0]?.path).toMatch(/line \d+/);
  });

  it('rejects an unknown adapter at its path', () => {
    const e = errorOf(good.replace('adapter: command', 'adapter: telepathy'));
    expect(e.issues).toEqual([expect.objectContaining({ path: 'phases[0].streams[0].worker.adapter' })]);
    expect(e.message).toContain('unknown adapter "telepathy"');
  });

  it('rejects duplicate stream ids naming both places', () => {
    const dup = good + `      - id: a\n        worker: { adapter: command, options: { command: "x" } }\n`;
    const e = errorOf(dup);
    expect(e.issues[0]?.path).toBe('phases[0].streams[1].id');
    expect(e.issues[0]?.message).toContain('phases[0].streams[0]');
  });

  it.each(['../../etc/passwd', '/etc/passwd', 'a/../../b', 'C:\\x'])('rejects the escaping deliverable %s', (p) => {
    const e = errorOf(good.replace('[src/a.ts,', `["${p.replaceAll('\\', '\\\\')}",`));
    expect(e.issues.some((i) => i.path.startsWith('phases[0].streams[0].deliverables[0]'))).toBe(true);
    expect(e.message).toContain('inside the work tree');
  });

  it('rejects an escaping glob', () => {
    const e = errorOf(good.replace('"src/**/*.ts"', '"../**/*.ts"'));
    expect(e.issues[0]?.path).toContain('deliverables[1]');
  });

  it('checks built-in adapter options', () => {
    const e = errorOf(good.replace('options: { command: "node a.mjs" }', 'options: { cmd: "x" }'));
    expect(e.issues.map((i) => i.path)).toContain('phases[0].streams[0].worker.options.command');
  });

  it('rejects a document that is not a mapping', () => {
    expect(errorOf('- 1\n- 2\n').issues[0]?.message).toContain('mapping');
  });

  it('accepts plugin adapters when told about them', () => {
    const plan = parsePlan(good.replace('adapter: command', 'adapter: mine'), 'p.yaml', { adapters: { mine: undefined } });
    expect(plan.phases[0]?.streams[0]?.worker.adapter).toBe('mine');
  });

  it('takes an already parsed object as library users have one, and names what is wrong with anything else', () => {
    const fromText = parsePlan(good, 'p.yaml');
    const fromObject = parsePlan(JSON.parse(JSON.stringify(fromText)) as object);
    expect(fromObject.phases[0]?.streams[0]?.id).toBe(fromText.phases[0]?.streams[0]?.id);
    for (const bad of [null, 42, [1, 2]] as unknown[]) {
      expect(() => parsePlan(bad as object)).toThrow(PlanError);
    }
    expect(() => parsePlan({ name: 'x' })).toThrow(/phases/);
  });
});
