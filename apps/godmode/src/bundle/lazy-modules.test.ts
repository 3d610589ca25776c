import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { LAZY_BUILTINS_OF_OCLIF, LAZY_MODULES, LAZY_MODULES_OF_OCLIF, LAZY_OCLIF_INTERNALS, lazyModuleSource } from './lazy-modules.js';

// The stand-ins are evaluated here as Node would run them in the bundle: a CommonJS module whose `require`
// is the real one, counted, so "loaded on first use" is checked, not assumed.
const realRequire = createRequire(import.meta.url);
// The oclif packages' own dependencies, resolved from @oclif/core's folder (as the bundle does for its files).
const oclifDir = realRequire.resolve('@oclif/core').replace(/lib\/index\.js$/, '');
const oclifRequire = createRequire(oclifDir);

function standIn(name: string, env: Record<string, string | undefined> = {}) {
  const loads: string[] = [];
  const module = { exports: {} as Record<string, unknown> };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  const put = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  put(env);
  try {
    new Function('module', 'exports', 'require', lazyModuleSource(name, oclifDir))(module, module.exports, (id: string) => {
      loads.push(id);
      return oclifRequire(id);
    });
  } finally {
    put(saved);
  }
  return { mod: module.exports as Record<string, unknown> & ((...a: unknown[]) => unknown), loads };
}

describe('lazy module stand-ins', () => {
  it.each([...LAZY_MODULES.filter((n) => n !== 'debug'), ...LAZY_MODULES_OF_OCLIF, ...LAZY_BUILTINS_OF_OCLIF.map((n) => `node:${n}`), ...LAZY_OCLIF_INTERNALS.map((f) => join(oclifDir, 'lib', f))])('%s: loads nothing until used, then has every export of the real one', (name) => {
    const { mod, loads } = standIn(name);
    expect(loads).toEqual([]);
    const real = oclifRequire(name) as Record<string, unknown>;
    expect(Object.keys(mod).sort()).toEqual(Object.keys(real).filter((k) => k !== '__esModule').sort());
    if (typeof real === 'function') {
      // A module that is a function (wrap-ansi, clean-stack, indent-string): the stand-in is one, and answers as it does.
      expect(typeof mod).toBe('function');
      expect(mod('a b\nc')).toEqual((real as (...a: unknown[]) => unknown)('a b\nc'));
    } else {
      const key = Object.keys(real).find((k) => k !== '__esModule' && k !== 'satisfies')!;
      expect(mod[key]).toBe(real[key]);
    }
    expect(loads).toEqual([name]);
  });

  it("ansis: colours read through the stand-in as oclif reads them (__importDefault(require('ansis')).default[colour])", () => {
    const { mod, loads } = standIn('ansis');
    const real = oclifRequire('ansis') as { __esModule?: boolean; default: Record<string, (s: string) => string> };
    // oclif's theme: __importDefault wraps a module without __esModule, so it reads the colours off the module itself.
    // It reads __esModule when it is loaded: the answer is the real one's, and loads nothing.
    const esModule = (mod as unknown as { __esModule?: boolean }).__esModule;
    expect(esModule).toBe(real.__esModule);
    expect(loads).toEqual([]);
    const viaStandIn = (mod as unknown as { default: Record<string, (s: string) => string> }).default;
    const asOclifReads = esModule ? viaStandIn : (mod as unknown as Record<string, (s: string) => string>);
    for (const colour of ['red', 'green', 'dim', 'bold']) {
      expect(viaStandIn[colour]!('x')).toBe(real.default[colour]!('x'));
      expect(asOclifReads[colour]!('x')).toBe(real.default[colour]!('x'));
    }
    expect(loads).toEqual(['ansis']);
  });

  // semver's own answer is the oracle for every case, including those the stand-in hands over to it.
  it.each([
    ['24.21.0', '>=22.12'],
    ['22.12.0', '>=22.12'],
    ['22.11.9', '>=22.12'],
    ['22.12.0', '>=22.12.1'],
    ['23.0.0', '>=22.12.1'],
    ['21.99.99', '>=22'],
    ['22.0.0', '>= 22'],
    ['v22.12.0', '>=v22.12.0'],
    ['22.12.0-rc.1', '>=22.12'],
    ['22.12.0', '^22.12'],
    ['20.19.0', '>=20.19 <21 || >=22.12'],
  ])('semver.satisfies(%s, %s) as semver says', (version, range) => {
    const { mod } = standIn('semver');
    expect((mod.satisfies as (v: string, r: string) => boolean)(version, range)).toBe((oclifRequire('semver') as { satisfies: (v: string, r: string) => boolean }).satisfies(version, range));
  });

  it('semver: a plain >= range is answered without loading semver', () => {
    const { mod, loads } = standIn('semver');
    expect((mod.satisfies as (v: string, r: string) => boolean)('24.1.0', '>=22.12')).toBe(true);
    expect(loads).toEqual([]);
  });

  it('debug without DEBUG: debuggers are off and nothing is loaded', () => {
    const { mod, loads } = standIn('debug', { DEBUG: undefined });
    const log = mod('oclif:config') as ((...a: unknown[]) => void) & { enabled: boolean; namespace: string; extend: (s: string) => { namespace: string } };
    log('nothing %s', 'printed');
    expect(log.enabled).toBe(false);
    expect(log.namespace).toBe('oclif:config');
    expect(log.extend('plugins').namespace).toBe('oclif:config:plugins');
    expect(loads).toEqual([]);
  });

  it('debug with DEBUG set: the real debug', () => {
    const { mod, loads } = standIn('debug', { DEBUG: 'nothing-of-ours' });
    expect(mod).toBe(oclifRequire('debug'));
    expect(loads).toEqual(['debug']);
  });

  it('debug: enable() turns the real one on, for debuggers made before too', () => {
    const { mod, loads } = standIn('debug', { DEBUG: undefined });
    const log = mod('godmode-test:lazy') as { enabled: boolean };
    (mod as unknown as { enable: (n: string) => void }).enable('godmode-test:*');
    expect(loads).toEqual(['debug']);
    expect(log.enabled).toBe(true);
    (oclifRequire('debug') as { disable: () => void }).disable();
  });
});
