import { z } from 'zod';
import { zodJit } from './short-lived.js';

/** What zod keeps on every schema (`schema._zod`) that a copy is made from: what `clone` itself uses. */
interface Internals {
  def: unknown;
  constr: (this: object, def: unknown) => object;
  parent?: object;
}

/**
 * A schema built on first use. Building every zod schema of the protocol when it is imported costs tens of
 * milliseconds (each `z.…()` call initialises a schema object, `.default(x.parse({}))` compiles a parser), and
 * most processes that import the protocol use two or three schemas, or none (`godmode --help`, `orchestra ls`).
 *
 * The value is the schema itself, under the same exported name and type, made in place the first time anything
 * is read from it (a method, `_zod`, `instanceof z.ZodType`, `key in`, a composition such as
 * `z.object({ plan: planSchema })` reading it): `build()` runs once, and the value becomes a copy of what it
 * returned as zod's own `clone` makes one (the same constructor and definition, the same parent), with its
 * metadata (`.describe()`, `.meta()`). So identity holds (`z.toJSONSchema`, registries and composition see one
 * object) and nothing is forwarded afterwards. Until that first read, the value has no own properties:
 * `Object.keys` of a schema nobody has used yet is empty.
 */
export function lazySchema<T extends z.ZodType>(build: () => T): T {
  let made = false;
  const make = (): void => {
    if (made) return;
    if (zodJit.off && z.config().jitless !== true) z.config({ jitless: true });
    const built = build() as unknown as { _zod: Internals };
    made = true;
    const { constr, def, parent } = built._zod;
    Object.setPrototypeOf(schema, Object.getPrototypeOf(built));
    constr.call(schema, def);
    if (parent !== undefined) (schema as { _zod: Internals })._zod.parent = parent;
    const meta = z.globalRegistry.get(built as unknown as z.ZodType);
    if (meta !== undefined) {
      // Without its id: an id names one schema in the registry, the built one.
      const { id: _id, ...rest } = meta;
      if (Object.keys(rest).length > 0) z.globalRegistry.add(schema as T, rest);
    }
  };
  // Until made, every property the value lacks is looked up on its prototype: this stand-in, which makes it.
  const standIn = new Proxy(Object.create(null) as object, {
    get: (_target, key, receiver) => {
      make();
      return Reflect.get(schema, key, receiver);
    },
    has: (_target, key) => {
      make();
      return Reflect.has(schema, key);
    },
    set: (_target, key, value, receiver) => {
      make();
      return Reflect.set(schema, key, value, receiver);
    },
  });
  const schema: object = Object.create(standIn);
  return schema as T;
}
