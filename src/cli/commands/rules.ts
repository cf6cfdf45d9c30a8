import type { Command } from 'commander';
import { isIsoDate } from '../../core/dates/index.js';
import { dueForReview, loadRules } from '../../core/rules/index.js';

/**
 * `korus rules review [--json] [--as-of DATE] [--within DAYS] [--strict]`: the rules and parameters due for
 * review (issue 16), overdue first, each with its source. Exit 0, or 1 with `--strict` when something is overdue;
 * 2 on a bad option.
 */
export function registerRulesCommands(program: Command): void {
  const rules = program.command('rules').description('the guidelines as data: review dates and sources');
  rules
    .command('review')
    .description('list the parameters and rules due for review (overdue first), with their sources')
    .option('--json', 'JSON output')
    .option('--as-of <date>', 'the day to review on (default today, UTC)')
    .option('--within <days>', 'also list what falls due within this many days', '30')
    .option('--strict', 'exit 1 when something is overdue')
    .action((options: { json?: boolean; asOf?: string; within: string; strict?: boolean }) => {
      const asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
      const within = Number(options.within);
      if (!isIsoDate(asOf) || !Number.isInteger(within) || within < 0) {
        process.stderr.write(
          'korus rules review: --as-of must be a date YYYY-MM-DD and --within a whole number of days\n',
        );
        process.exitCode = 2;
        return;
      }
      const loaded = loadRules();
      const items = dueForReview(loaded.parameters, loaded.reviews, asOf, within);
      const counts = {
        parameters: loaded.parameters.parameters.size,
        requirements: loaded.reviews.size,
        overdue: items.filter((i) => i.state === 'overdue').length,
        due: items.filter((i) => i.state === 'due').length,
      };
      if (options.json) {
        process.stdout.write(
          JSON.stringify(
            { asOf, withinDays: within, rulesVersion: loaded.rulesVersion, ...counts, items },
            null,
            2,
          ) + '\n',
        );
      } else {
        process.stdout.write(
          `Rules ${loaded.rulesVersion} on ${asOf}: ${counts.parameters} parameters and ${counts.requirements} rules; ` +
            `${counts.overdue} overdue, ${counts.due} due within ${within} days.\n`,
        );
        for (const i of items)
          process.stdout.write(
            `${i.state === 'overdue' ? 'OVERDUE' : 'due    '}  ${i.reviewBy}  ${i.kind === 'parameter' ? 'parameter' : 'rule     '}  ${i.id}${i.verify ? ' (verify)' : ''}\n` +
              `         ${i.label.en}\n         last reviewed ${i.reviewed}; source: ${i.source ? `${i.source.title} <${i.source.href}>` : 'none'}\n`,
          );
      }
      if (options.strict && counts.overdue > 0) process.exitCode = 1;
    });
}
