import { Option, type Command } from 'commander';
import type { ActionFactory } from '../../cli/action.ts';
import { JOB_STATUSES, JOB_TYPES } from '../../core/enums.ts';

export function registerJobs(program: Command, act: ActionFactory): void {
  const jobs = program.command('jobs').description('inspect, watch, retry and cancel jobs (every pipeline step is a job)')
    .addHelpText('after', `
Examples:
  $ omvee jobs list --status running
  $ omvee jobs watch --project "Easy Kill" --exit-status  # in CI
  $ omvee jobs retry 7c1e
  $ omvee jobs cancel 7c1e`);

  jobs
    .command('list')
    .description('list jobs, newest first')
    .option('--project <project>', 'only jobs of this project (id, prefix or name)')
    .addOption(new Option('--status <status>', 'only jobs in this status').choices(JOB_STATUSES))
    .addOption(new Option('--type <type>', 'only jobs of this type').choices(JOB_TYPES))
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

  jobs
    .command('watch')
    .description('follow jobs live until they end: progress bars on a terminal, a line per change otherwise')
    .argument('[id]', 'job id or unique id prefix (default: every pending or running job)')
    .option('--project <project>', 'every job of this project that is pending or running, or starts while watching')
    .option('--exit-status', 'exit 1 if a watched job failed or was canceled (for CI)')
    .option('--interval <ms>', 'how often to poll the store when live updates (Supabase Realtime) are unavailable', '1000')
    .addHelpText('after', `
Examples:
  $ omvee jobs watch 7c1e
  $ omvee run song.mp3 --detach --json > jobs.json; omvee jobs watch --project "Easy Kill" --exit-status
  $ omvee jobs watch --project 3f2a --json | jq -r 'select(.event == "job") | [.job.id, .job.status, .job.progress] | @tsv'`)
    .action(act(() => import('./watch.ts')));

  jobs
    .command('retry')
    .description('put a failed or canceled job back in the queue')
    .argument('<id>', 'job id or unique id prefix')
    .option('--reset-attempts', 'start counting attempts from zero again (a full set of retries)')
    .addHelpText('after', `
Examples:
  $ omvee jobs retry 7c1e && omvee worker --once
  $ omvee jobs list --status failed --json | jq -r '.[].id' | xargs -n1 omvee jobs retry --reset-attempts`)
    .action(act(() => import('./retry.ts')));

  jobs
    .command('cancel')
    .description('cancel a pending or running job (its worker stops at the next heartbeat)')
    .argument('<id>', 'job id or unique id prefix')
    .addHelpText('after', `
Examples:
  $ omvee jobs cancel 7c1e
  $ omvee jobs list --status pending --project 3f2a --json | jq -r '.[].id' | xargs -n1 omvee jobs cancel`)
    .action(act(() => import('./cancel.ts')));
}
