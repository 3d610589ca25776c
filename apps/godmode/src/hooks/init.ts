// oclif `init` hook (package.json → oclif.hooks): runs after the manifest is read and before help or a command.
// Help reads flags from oclif.manifest.json; a flag whose default is the working directory (`--cwd`) cannot be
// written there, since it is the folder the build ran in. scripts/oclif-manifest.mjs marks such a flag
// `godmodeDefault: "cwd"`, and this fills in the user's, so `godmode orchestra run --help` shows what
// `--cwd` will be without loading the command (and its graph) only to compute it.
import type { Hook } from '@oclif/core';

const fillRuntimeDefaults: Hook<'init'> = async function () {
  for (const command of this.config.commands) {
    for (const flag of Object.values(command.flags) as Array<{ default?: unknown; godmodeDefault?: string }>) {
      if (flag.godmodeDefault === 'cwd') flag.default = process.cwd();
    }
  }
};

export default fillRuntimeDefaults;
