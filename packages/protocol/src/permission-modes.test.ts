import { describe, expect, it } from 'vitest';
import { parsePlan } from './plan/parse-plan.js';
import { CLAUDE_PERMISSION_MODES } from './permission-modes.js';

const plan = (mode: string) => `name: p\nphases:\n  - id: one\n    streams:\n      - id: a\n        worker: { adapter: claude, options: { prompt: hi, permissionMode: ${mode} } }\n`;

describe('permission modes', () => {
  it.each([...CLAUDE_PERMISSION_MODES])('a plan may use %s', (mode) => {
    expect(() => parsePlan(plan(mode), 'plan.yaml')).not.toThrow();
  });
  it('includes dontAsk and auto, and refuses what Claude Code does not know', () => {
    expect(CLAUDE_PERMISSION_MODES).toEqual(expect.arrayContaining(['dontAsk', 'auto']));
    expect(() => parsePlan(plan('yolo'), 'plan.yaml')).toThrow(/permissionMode/);
  });
});
