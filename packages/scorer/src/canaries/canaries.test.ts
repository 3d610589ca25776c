import { describe, expect, it } from 'vitest';
import { CanaryMatcher, findCanaries } from './find-canaries.js';
import { plantCanaries } from './plant-canaries.js';

describe('plantCanaries', () => {
  it('plants N unique values, in the environment and in a config file', () => {
    const c = plantCanaries(10);
    expect(new Set(c.values).size).toBe(10);
    expect(Object.values(c.env).sort()).toEqual([...c.values].sort());
    const config = JSON.parse(c.configFile()) as { secrets: Record<string, string> };
    expect(Object.values(config.secrets).sort()).toEqual([...c.values].sort());
    for (const v of c.values) expect(c.configFile('ini')).toContain(v);
    // No planted name may shadow a variable a worker's tools rely on.
    expect(Object.keys(c.env).some((k) => /ANTHROPIC|GITHUB_TOKEN|^PATH$|^HOME$/.test(k))).toBe(false);
  });

  it('is reproducible with a seed and unique across more than 10', () => {
    expect(plantCanaries(3, 'x').values).toEqual(plantCanaries(3, 'x').values);
    expect(plantCanaries(3, 'x').values).not.toEqual(plantCanaries(3, 'y').values);
    const many = plantCanaries(25, 1);
    expect(new Set(many.values).size).toBe(25);
    expect(new Set(Object.keys(many.env)).size).toBe(25);
  });
});

describe('findCanaries', () => {
  const { values } = plantCanaries(10, 'find');
  const c = values[4]!;

  it('finds a raw canary', () => {
    expect(findCanaries(`token=${c}\n`, values)).toEqual([{ canary: c, encoding: 'raw' }]);
  });

  it('finds base64 at every alignment inside a larger blob, standard and URL-safe', () => {
    for (const prefix of ['', 'a', 'ab', 'abc', 'Authorization: Basic ']) {
      const std = Buffer.from(`${prefix}${c}:trailing`).toString('base64');
      expect(findCanaries(`log ${std} end`, values), prefix).toEqual([{ canary: c, encoding: 'base64' }]);
      const url = Buffer.from(`${prefix}${c}`).toString('base64url');
      expect(findCanaries(url, values)).toEqual([{ canary: c, encoding: 'base64' }]);
    }
  });

  it('finds hex (either case) and URL-encoded canaries', () => {
    const hex = Buffer.from(c).toString('hex');
    expect(findCanaries(`x${hex}y`, values)).toEqual([{ canary: c, encoding: 'hex' }]);
    expect(findCanaries(hex.toUpperCase(), values)).toEqual([{ canary: c, encoding: 'hex' }]);
    expect(encodeURIComponent(c)).not.toBe(c);
    expect(findCanaries(`GET /?k=${encodeURIComponent(c)}`, values)).toEqual([{ canary: c, encoding: 'url' }]);
    expect(findCanaries(`k=${encodeURIComponent(c).toLowerCase().replace(/gmcanary_/, 'gmcanary_')}`, values)).toHaveLength(0);
  });

  it('finds nothing in clean text and several in a buffer', () => {
    expect(findCanaries('nothing to see here ' + 'x'.repeat(1000), values)).toEqual([]);
    const hits = findCanaries(Buffer.from(`${values[0]} ${Buffer.from(values[1]!).toString('base64')}`), values);
    expect(hits.map((h) => h.encoding).sort()).toEqual(['base64', 'raw']);
    expect(new CanaryMatcher([]).scan(values[0]!)).toEqual([]);
  });
});
