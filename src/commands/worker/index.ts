import type { Command } from 'commander';
import type { ActionFactory } from '../../cli/action.ts';
import { collect } from '../shared-options.ts';

export function registerWorker(program: Command, act: ActionFactory): void {
  program
    .command('worker')
    .description('claim and run queued jobs until stopped (run several, on several machines, against one Supabase project)')
    .option('--concurrency <n>', 'jobs run at the same time by this worker', '1')
    .option('--types <types>', 'only these job types, comma-separated (e.g. generate_images,generate_clips)', collect)
    .option('--project <project>', 'only jobs of this project (id, prefix or name)')
    .option('--once', 'run what is runnable now, then exit (for CI)')
    .option('--lease <seconds>', 'job lease: a job whose worker stops heartbeating this long goes back to the queue (default OMVEE_LEASE_SECONDS or 60)')
    .option('--grace <seconds>', 'on SIGINT/SIGTERM, how long running jobs may take to finish before they are released', '30')
    .addHelpText('after', `
One line per job start and finish on stderr (JSON lines on stdout with --json).
The first SIGINT/SIGTERM stops claiming and lets running jobs finish within --grace;
a second one releases them to the queue at once.

Examples:
  $ omvee worker --concurrency 4
  $ omvee worker --types generate_clips --lease 120
  $ omvee run song.mp3 --detach && omvee worker --once  # CI: enqueue, then drain
  $ omvee worker --once --json | jq -c 'select(.event=="finish")'`)
    .action(act(() => import('./run.ts')));
}
