#!/usr/bin/env node
/**
 * Runs `assess` on its own (no server, no database): `node --import tsx src/cli/commands/assess-cli.ts …`.
 * Used by the tests to check real exit codes; `korus assess` is the same command inside the main program.
 */
import { Command, CommanderError } from 'commander';
import { registerAssessCommand } from './assess.js';

const program = new Command().name('korus').exitOverride();
registerAssessCommand(program);
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? 0 : 2;
  else {
    process.stderr.write(`korus: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
