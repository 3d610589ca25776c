import { execa } from 'execa';

/** The Claude Code version godmode's flags were checked against. */
export const TESTED_CLAUDE_VERSION = '2.1.100';

/** `claude --version` → `2.1.100`; undefined when it cannot tell. Costs a Claude Code start-up (~1 s), so only used on failure. */
export async function claudeVersion(binary: string, env?: NodeJS.ProcessEnv): Promise<string | undefined> {
  const run = await execa(binary, ['--version'], { reject: false, stdin: 'ignore', timeout: 15_000, ...(env ? { env, extendEnv: false } : {}) });
  return /(\d+\.\d+\.\d+)/.exec(String(run.stdout))?.[1];
}

/** Numeric comparison of dotted versions: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The option Claude Code rejected, from its stderr (commander's `error: unknown option '--x'`). */
export function unknownOption(stderr: string): string | undefined {
  return /unknown option '(-{1,2}[\w-]+)'/.exec(stderr)?.[1];
}
