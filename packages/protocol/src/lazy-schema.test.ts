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
    ['its own keys, once used as the schema built at once', (s: z.ZodType) => (s.parse({ id: 'k' }), Object.keys(s)), ((r) => (r.parse({ id: 'k' }), Object.keys(r)))(z.object({ id: z.string() }).describe('x'))],
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

  it.each([
    ['defaults, strict and a refinement', () => z.object({ n: z.number().int().default(3), s: z.string().optional() }).strict().superRefine(() => undefined)],
    ['a default made by parsing', () => { const inner = z.object({ k: z.number().default(1) }); return z.object({ inner: inner.default(inner.parse({})) }); }],
    ['a discriminated union', () => z.discriminatedUnion('t', [z.object({ t: z.literal('a'), a: z.number() }), z.object({ t: z.literal('b') })])],
    ['a transform in a union', () => z.union([z.string().transform((c) => ({ c })), z.object({ c: z.string() })])],
  ] as Array<[string, () => z.ZodType]>)('z.toJSONSchema of %s is as if built at once, alone and composed', (_case, make) => {
    for (const io of ['input', 'output'] as const) {
      expect(z.toJSONSchema(lazySchema(make), { io, unrepresentable: 'any' })).toEqual(z.toJSONSchema(make(), { io, unrepresentable: 'any' }));
      const composed = lazySchema(() => z.object({ x: lazySchema(make), y: z.array(lazySchema(make)) }));
      expect(z.toJSONSchema(composed, { io, unrepresentable: 'any' })).toEqual(z.toJSONSchema(z.object({ x: make(), y: z.array(make()) }), { io, unrepresentable: 'any' }));
    }
  });

  it('is one object: what a registry keeps for it is found again', () => {
    const schema = lazySchema(() => z.string());
    const registry = z.registry<{ note: string }>();
    registry.add(schema, { note: 'mine' });
    expect(registry.get(schema)).toEqual({ note: 'mine' });
    expect(schema).toBe(schema);
  });

  it('infers the same type as the schema', () => {
    const schema = lazySchema(() => z.object({ n: z.number() }));
    const value: z.infer<typeof schema> = schema.parse({ n: 2 });
    expect(value.n).toBe(2);
  });
});
