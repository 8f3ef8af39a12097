import type { Command } from 'commander';
import type { ActionFactory } from '../../cli/action.ts';

export function registerDoctor(program: Command, act: ActionFactory): void {
  program
    .command('doctor')
    .description('check Node, ffmpeg, the store and the providers, with a fix for each problem')
    .option('--offline', 'skip checks that call the network (provider keys, Supabase)')
    .addHelpText('after', `
Exits 1 when a check fails. Keys are never printed.

Examples:
  $ omvee doctor
  $ omvee doctor --json | jq '.[] | select(.status != "ok")'`)
    .action(act(() => import('./run.ts')));
}
