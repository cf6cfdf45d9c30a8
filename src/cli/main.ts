#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { registerServeCommand } from './commands/serve.js';
import { registerAdminCommands } from './commands/admin.js';
import { registerAssessCommand } from './commands/assess.js';
import { registerQuotaCommands } from './commands/quota.js';
import { registerCardCommands } from './commands/card.js';
import { registerImportCommands } from './commands/import.js';
import { reportError } from './output.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('korus')
    .description('KORUS Mobility: lawful, fast dispatch of Korean skilled workers to US investment sites')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  registerServeCommand(program);
  registerAdminCommands(program);
  registerAssessCommand(program);
  registerQuotaCommands(program);
  registerCardCommands(program);
  registerImportCommands(program);
  return program;
}

async function main(): Promise<void> {
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    process.exitCode = reportError(error);
  }
}

await main();
