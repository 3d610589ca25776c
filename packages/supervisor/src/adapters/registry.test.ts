import { describe, expect, it, vi } from 'vitest';

describe('the adapter registry', () => {
  it('is one per process: a second copy of the module sees what the first registered', async () => {
    const first = await import('./adapter.js');
    first.registerAdapter({ name: 'from-first-copy', launch: () => ({ file: 'true', args: [], env: {} }) });
    vi.resetModules(); // the next import evaluates the module again, as a plugin's own copy of the package would
    const second = await import('./adapter.js');
    expect(second).not.toBe(first);
    expect(second.getAdapter('from-first-copy')?.name).toBe('from-first-copy');
    expect(Object.keys(second.adapterOptionSchemas())).toContain('from-first-copy');
  });
});
