import { z } from 'zod';

/**
 * A schema built on first use. Building every zod schema of the protocol when it is imported costs tens of
 * milliseconds (each `z.…()` call initialises a schema object, `.default(x.parse({}))` compiles a parser), and
 * most processes that import the protocol use two or three schemas, or none (`godmode --help`, `orchestra ls`).
 *
 * The value stands for the schema itself, under the same exported name and type: every property read, call,
 * `instanceof z.ZodType`, `Object.keys` and composition (`z.object({ plan: planSchema })`) reaches the schema,
 * built by `build` the first time any of them happens. Its metadata (`.describe()`, `.meta()`) is registered for
 * the stand-in too, so `z.toJSONSchema` of a schema that contains it keeps its description. Identity is the one
 * difference: the stand-in is not `===` the built schema; compare schemas by what they accept, not by identity.
 */
export function lazySchema<T extends z.ZodType>(build: () => T): T {
  let built: T | undefined;
  const stand: object = {};
  const schema = (): T => {
    if (built === undefined) {
      built = build();
      const meta = z.globalRegistry.get(built);
      if (meta !== undefined && !z.globalRegistry.has(proxy as T)) {
        // Without its id: an id names one schema in the registry, the built one.
        const { id: _id, ...rest } = meta;
        z.globalRegistry.add(proxy as T, rest);
      }
    }
    return built;
  };
  const proxy: object = new Proxy(stand, {
    get: (_target, key) => Reflect.get(schema(), key, schema()),
    set: (_target, key, value) => Reflect.set(schema(), key, value, schema()),
    has: (_target, key) => Reflect.has(schema(), key),
    ownKeys: () => Reflect.ownKeys(schema()),
    // The stand-in's own target has no properties, so each is reported configurable (a proxy may not report a
    // non-configurable property its target lacks); the value is the built schema's.
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(schema(), key);
      return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
    },
    defineProperty: (_target, key, descriptor) => Reflect.defineProperty(schema(), key, descriptor),
    deleteProperty: (_target, key) => Reflect.deleteProperty(schema(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(schema()),
  });
  return proxy as T;
}
