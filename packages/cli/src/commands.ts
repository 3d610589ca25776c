import type { Command } from '@oclif/core';
import { Ask } from './commands/ask.js';
import { Chat } from './commands/chat.js';
import { FleetAgent } from './commands/fleet/agent.js';
import { Login } from './commands/login.js';
import { Logout } from './commands/logout.js';
import { Whoami } from './commands/whoami.js';
import { SkillsInstall } from './commands/skills/install.js';
import { SkillsList } from './commands/skills/list.js';
import { SkillsRemove } from './commands/skills/remove.js';
import { Run } from './commands/run.js';
import { SkillsRun } from './commands/skills/run.js';
import { OrchestraDashboard } from './commands/orchestra/dashboard.js';
import { OrchestraApply } from './commands/orchestra/apply.js';
import { OrchestraClean } from './commands/orchestra/clean.js';
import { OrchestraDemo } from './commands/orchestra/demo.js';
import { OrchestraInit } from './commands/orchestra/init.js';
import { OrchestraLs } from './commands/orchestra/ls.js';
import { OrchestraPlan } from './commands/orchestra/plan.js';
import { OrchestraReconcile } from './commands/orchestra/reconcile.js';
import { OrchestraReport } from './commands/orchestra/report.js';
import { OrchestraRun } from './commands/orchestra/run.js';
import { OrchestraScore } from './commands/orchestra/score.js';
import { OrchestraStatus } from './commands/orchestra/status.js';
import { OrchestraStop } from './commands/orchestra/stop.js';
import { OrchestraTakeover } from './commands/orchestra/takeover.js';
import { OrchestraValidate } from './commands/orchestra/validate.js';
import { OrchestraWatch } from './commands/orchestra/watch.js';

/**
 * Every command, by id (topics joined with ":"; shown with spaces). An explicit map rather than a folder
 * scan so the CLI can be bundled and starts fast. One line per command; keep it sorted by id.
 */
export const COMMANDS: Record<string, Command.Class> = {
  ask: Ask,
  chat: Chat,
  'fleet:agent': FleetAgent,
  login: Login,
  logout: Logout,
  'orchestra:dashboard': OrchestraDashboard,
  'orchestra:apply': OrchestraApply,
  'orchestra:clean': OrchestraClean,
  'orchestra:demo': OrchestraDemo,
  'orchestra:init': OrchestraInit,
  'orchestra:ls': OrchestraLs,
  'orchestra:plan': OrchestraPlan,
  'orchestra:reconcile': OrchestraReconcile,
  'orchestra:report': OrchestraReport,
  'orchestra:run': OrchestraRun,
  'orchestra:score': OrchestraScore,
  'orchestra:status': OrchestraStatus,
  'orchestra:stop': OrchestraStop,
  'orchestra:takeover': OrchestraTakeover,
  'orchestra:validate': OrchestraValidate,
  'orchestra:watch': OrchestraWatch,
  run: Run,
  'skills:install': SkillsInstall,
  'skills:list': SkillsList,
  'skills:remove': SkillsRemove,
  'skills:run': SkillsRun,
  whoami: Whoami,
};
