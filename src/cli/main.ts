#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { reportError } from './output.js';

type Register = (program: Command) => void;

/**
 * Each command's module, loaded only when that command runs (a `korus quota status` does not load the web
 * server, PDF or spreadsheet code); `--help` and an unknown command load them all.
 */
const modules: { commands: readonly string[]; load: () => Promise<Register> }[] = [
  { commands: ['serve'], load: async () => (await import('./commands/serve.js')).registerServeCommand },
  {
    commands: ['org', 'user', 'token', 'audit', 'backup', 'restore', 'migrate', 'seed', 'db'],
    load: async () => (await import('./commands/admin.js')).registerAdminCommands,
  },
  { commands: ['assess'], load: async () => (await import('./commands/assess.js')).registerAssessCommand },
  { commands: ['quota'], load: async () => (await import('./commands/quota.js')).registerQuotaCommands },
  { commands: ['plan'], load: async () => (await import('./commands/plan.js')).registerPlanCommand },
  { commands: ['card'], load: async () => (await import('./commands/card.js')).registerCardCommands },
  { commands: ['rules'], load: async () => (await import('./commands/rules.js')).registerRulesCommands },
  {
    commands: ['simulate'],
    load: async () => (await import('./commands/simulate.js')).registerSimulateCommands,
  },
  {
    commands: ['import', 'export'],
    load: async () => (await import('./commands/import.js')).registerImportCommands,
  },
];

export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command();
  program
    .name('korus')
    .description('KORUS Mobility: lawful, fast dispatch of Korean skilled workers to US investment sites')
    .version('0.1.0')
    .showHelpAfterError()
    // The program's own options come before a command's name, so a command may have subcommands that share
    // option names with it (`korus simulate FILE --replications N` and `korus simulate queue --replications N`).
    .enablePositionalOptions()
    .exitOverride();
  const name = argv.find((arg) => !arg.startsWith('-'));
  const only = modules.find((m) => name !== undefined && m.commands.includes(name));
  for (const module of only ? [only] : modules) (await module.load())(program);
  return program;
}

async function main(): Promise<void> {
  try {
    await (await buildProgram(process.argv.slice(2))).parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    process.exitCode = reportError(error);
  }
}

await main();
