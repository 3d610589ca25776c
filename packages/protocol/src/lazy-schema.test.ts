import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { lazySchema } from './lazy-schema.js';

describe('lazySchema', () => {
  it('builds nothing until first used, then once', () => {
    let builds = 0;
    const schema = lazySchema(() => {
      builds += 1;
      return z.object({ a: z.number() });
    });
    expect(builds).toBe(0);
    expect(schema.parse({ a: 1 })).toEqual({ a: 1 });
    expect(schema.safeParse({ a: 'x' }).success).toBe(false);
    expect(builds).toBe(1);
  });

  it.each([
    ['parse', (s: z.ZodType) => s.parse({ id: 'x' }), { id: 'x' }],
    ['instanceof z.ZodType', (s: z.ZodType) => s instanceof z.ZodType, true],
    ['instanceof z.ZodObject', (s: z.ZodType) => s instanceof z.ZodObject, true],
    ['Object.keys includes the methods', (s: z.ZodType) => Object.keys(s).includes('parse'), true],
    ['a method taken off it', (s: z.ZodType) => { const { parse } = s; return parse({ id: 'y' }); }, { id: 'y' }],
    ['composed into z.object', (s: z.ZodType) => z.object({ inner: s }).parse({ inner: { id: 'z' } }), { inner: { id: 'z' } }],
    ['composed into z.array and refused', (s: z.ZodType) => z.array(s).safeParse([{ id: 1 }]).success, false],
    ['chained', (s: z.ZodType) => s.optional().parse(undefined), undefined],
    ['its description', (s: z.ZodType) => s.description, 'a thing with an id'],
  ])('stands for the schema: %s', (_case, use, expected) => {
    const schema = lazySchema(() => z.object({ id: z.string() }).describe('a thing with an id'));
    expect(use(schema)).toEqual(expected);
  });

  it('keeps the shape of an object schema readable', () => {
    const schema = lazySchema(() => z.object({ glob: z.string().min(1), min: z.number().default(1) }));
    expect(Object.keys(schema.shape)).toEqual(['glob', 'min']);
    expect(schema.shape.glob.parse('a/*')).toBe('a/*');
  });

  it('gives z.toJSONSchema the same document as the schema built at once, descriptions included', () => {
    const make = () => z.object({ name: z.string().describe('who'), tags: z.array(z.string()).default([]) }).describe('a person');
    const inner = lazySchema(make);
    expect(z.toJSONSchema(lazySchema(make))).toEqual(z.toJSONSchema(make()));
    expect(z.toJSONSchema(z.object({ p: inner }))).toEqual(z.toJSONSchema(z.object({ p: make() })));
  });

  it('infers the same type as the schema', () => {
    const schema = lazySchema(() => z.object({ n: z.number() }));
    const value: z.infer<typeof schema> = schema.parse({ n: 2 });
    expect(value.n).toBe(2);
  });
});
