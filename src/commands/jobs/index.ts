import { Option, type Command } from 'commander';
import type { ActionFactory } from '../../cli/action.ts';
import { JOB_STATUSES_LIST, JOB_TYPES_LIST } from './names.ts';

export function registerJobs(program: Command, act: ActionFactory): void {
  const jobs = program.command('jobs').description('inspect, watch, retry and cancel jobs (every pipeline step is a job)');

  jobs
    .command('list')
    .description('list jobs, newest first')
    .option('--project <project>', 'only jobs of this project (id, prefix or name)')
    .addOption(new Option('--status <status>', 'only jobs in this status').choices(JOB_STATUSES_LIST))
    .addOption(new Option('--type <type>', 'only jobs of this type').choices(JOB_TYPES_LIST))
    .option('--since <when>', 'only jobs created since: an ISO time or a duration like 30m, 2h, 1d')
    .option('--limit <n>', 'at most n jobs', '100')
    .addHelpText('after', `
Examples:
  $ omvee jobs list --status running
  $ omvee jobs list --project "Easy Kill" --since 1h --json | jq -r '.[] | [.id,.status] | @tsv'`)
    .action(act(() => import('./list.ts')));

  jobs
    .command('show')
    .description('show one job: state, attempts, worker, timings, progress, result, error, cost')
    .argument('<id>', 'job id or unique id prefix')
    .addHelpText('after', `
Examples:
  $ omvee jobs show 7c1e
  $ omvee jobs show 7c1e --json | jq .error`)
    .action(act(() => import('./show.ts')));
}
