// oclif's explicit command target (package.json → oclif.commands): the map lives in @godmode/cli.
export { COMMANDS } from '@godmode/cli';
