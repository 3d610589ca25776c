#!/usr/bin/env node
// Writes oclif.manifest.json after the build: help and command listings come from it, so `godmode --help` and
// `godmode orchestra ls` load no command class but the one they run (README → Start-up).
//
// A flag default computed where the manifest is made (`--cwd` defaults to process.cwd()) must not be frozen
// into it: the manifest is made twice, in two folders with two homes, and a flag whose default differs is
// written without one. When each run's default was its own working directory, the flag is marked
// `godmodeDefault: "cwd"` and src/hooks/init.ts fills in the user's at start-up; any other difference marks it
// `hasDynamicHelp`, so help loads that one command and computes the default there.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const self = fileURLToPath(import.meta.url);

if (process.argv[2] === '--emit') {
  const { Plugin } = await import('@oclif/core');
  const plugin = new Plugin({ root, type: 'core', isRoot: true, ignoreManifest: true, errorOnManifestCreate: true, respectNoCacheDefault: true });
  await plugin.load();
  process.stdout.write(JSON.stringify(plugin.manifest));
} else {
  const [a, b] = ['a', 'b'].map((name) => emitIn(name));
  const fromCwd = [];
  const dynamic = [];
  for (const [id, command] of Object.entries(a.manifest.commands)) {
    for (const [name, flag] of Object.entries(command.flags ?? {})) {
      const other = b.manifest.commands[id]?.flags?.[name]?.default;
      if (JSON.stringify(flag.default) === JSON.stringify(other)) continue;
      const cwd = flag.default === a.cwd && other === b.cwd;
      delete flag.default;
      if (cwd) {
        flag.godmodeDefault = 'cwd';
        fromCwd.push(`${id} --${name}`);
      } else {
        flag.hasDynamicHelp = true;
        command.hasDynamicHelp = true;
        dynamic.push(`${id} --${name}`);
      }
    }
    for (const [name, arg] of Object.entries(command.args ?? {})) {
      if (JSON.stringify(arg.default) !== JSON.stringify(b.manifest.commands[id]?.args?.[name]?.default)) {
        throw new Error(`oclif-manifest: argument ${name} of ${id} has a default that depends on where it is computed; oclif's help cannot recompute an argument's default: give it a fixed default or noCacheDefault.`);
      }
    }
  }
  writeFileSync(join(root, 'oclif.manifest.json'), JSON.stringify(a.manifest, null, 2) + '\n');
  process.stdout.write(
    `oclif.manifest.json: ${Object.keys(a.manifest.commands).length} commands; the working directory as default: ${fromCwd.length} flags; computed by loading the command: ${dynamic.join(', ') || 'none'}\n`,
  );
}

/** The manifest as a child process sees it from a fresh folder and home of its own, with that folder. */
function emitIn(name) {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), `godmode-manifest-${name}-`)));
  try {
    const home = { HOME: dir, USERPROFILE: dir, XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data'), XDG_CACHE_HOME: join(dir, 'cache'), TMPDIR: dir };
    const r = spawnSync(process.execPath, [self, '--emit'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, ...home, NODE_ENV: 'production' } });
    if (r.status !== 0) throw new Error(`oclif-manifest: making the manifest failed (exit ${r.status ?? r.signal}):\n${r.stderr}`);
    return { manifest: JSON.parse(r.stdout), cwd: dir };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
