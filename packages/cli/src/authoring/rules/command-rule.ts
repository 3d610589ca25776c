import { commandNames, findProgram } from '../command-names.js';
import type { PlanProblem } from '../plan-problem.js';
import type { PlanRule, RuleContext } from './rule-context.js';

interface CommandSite {
  path: string;
  command: string;
  what: string;
}

const PLAN_COMMANDS = ['setup', 'test', 'lint', 'typecheck'] as const;
type PlanCommand = (typeof PLAN_COMMANDS)[number];

/**
 * A `setup`, `test`, `lint`, `typecheck` or `check` command, or a worker's command, whose program is not on
 * PATH fails only after the agents have spent their time; found here first. A `claude` stream needs Claude Code.
 */
export const commandRule: PlanRule = (context) => commandProblems(context, PLAN_COMMANDS);

/**
 * The same rule without the plan's `setup`: what `orchestra run` checks first. The conductor runs the setup
 * in each stream's work tree and reports its failure itself, with the command's output and the work tree.
 */
export const commandRuleWithoutSetup: PlanRule = (context) => commandProblems(context, ['test', 'lint', 'typecheck']);

function commandProblems(context: RuleContext, planCommands: readonly PlanCommand[]): PlanProblem[] {
  const problems: PlanProblem[] = [];
  for (const site of commandSites(context, planCommands)) {
    for (const name of commandNames(site.command)) {
      if (findProgram(name, context.env, context.repoDir)) continue;
      problems.push({
        file: context.file,
        path: site.path,
        message: name.includes('/')
          ? `the ${site.what} runs ${name}, which is not an executable file in ${context.repoDir}`
          : `the ${site.what} runs "${name}", which is not on PATH`,
        fix: name.includes('/')
          ? `correct the path in ${site.path}, or make ${name} executable (chmod +x)`
          : `install ${name}, or change ${site.path} to a command that exists here (a project tool may need "npx", "pnpm exec" or "python3 -m" in front)`,
      });
    }
  }
  // One problem per missing Claude Code binary, at its first stream, naming every stream that needs it.
  const claudeUsers = new Map<string, { path: string; streams: string[] }>();
  context.plan.phases.forEach((phase, p) =>
    phase.streams.forEach((stream, s) => {
      if (stream.worker.adapter !== 'claude') return;
      const executable = typeof stream.worker.options.executable === 'string' ? stream.worker.options.executable : context.env.GODMODE_CLAUDE_BIN?.trim() || 'claude';
      const users = claudeUsers.get(executable) ?? { path: `phases[${p}].streams[${s}].worker`, streams: [] };
      users.streams.push(stream.id);
      claudeUsers.set(executable, users);
    }),
  );
  for (const [executable, users] of claudeUsers) {
    if (findProgram(executable, context.env, context.repoDir)) continue;
    const who = users.streams.length === 1 ? `stream "${users.streams[0]}" runs` : `${users.streams.length} streams (${users.streams.join(', ')}) run`;
    problems.push({
      file: context.file,
      path: users.path,
      message: `${who} Claude Code, but "${executable}" is not ${executable.includes('/') ? 'an executable file' : 'on PATH'}`,
      fix: 'install Claude Code (npm install -g @anthropic-ai/claude-code) and log in, or set worker.options.executable (or GODMODE_CLAUDE_BIN) to its path',
    });
  }
  return problems;
}

function commandSites(context: RuleContext, planCommands: readonly PlanCommand[]): CommandSite[] {
  const sites: CommandSite[] = [];
  const raw = context.raw;
  for (const key of planCommands) {
    const value = raw[key];
    const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
    list.forEach((item, i) => {
      const at = Array.isArray(value) ? `${key}[${i}]` : key;
      if (typeof item === 'string') sites.push({ path: at, command: item, what: `${key} command` });
      else if (item && typeof item === 'object' && typeof (item as { command?: unknown }).command === 'string') {
        sites.push({ path: `${at}.command`, command: (item as { command: string }).command, what: `${key} command` });
      }
    });
  }
  const rawPhases = Array.isArray(raw.phases) ? (raw.phases as Array<Record<string, unknown>>) : [];
  context.plan.phases.forEach((phase, p) =>
    phase.streams.forEach((stream, s) => {
      const at = `phases[${p}].streams[${s}]`;
      const rawStream = (rawPhases[p]?.streams as Array<Record<string, unknown>> | undefined)?.[s];
      if (stream.check) sites.push({ path: typeof rawStream?.check === 'object' ? `${at}.check.command` : `${at}.check`, command: stream.check.command, what: `check of stream "${stream.id}"` });
      if (stream.worker.adapter === 'command') {
        const command = stream.worker.options.command;
        if (typeof command === 'string') sites.push({ path: `${at}.worker.options.command`, command, what: `worker of stream "${stream.id}"` });
        else if (Array.isArray(command) && typeof command[0] === 'string') {
          sites.push({ path: `${at}.worker.options.command[0]`, command: `'${command[0].replaceAll("'", "'\\''")}'`, what: `worker of stream "${stream.id}"` });
        }
      }
    }),
  );
  return sites;
}
