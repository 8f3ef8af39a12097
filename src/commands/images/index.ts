import type { Command } from 'commander';
import type { ActionFactory } from '../../cli/action.ts';
import { addProviderOptions, collect } from '../shared-options.ts';

export function registerImages(program: Command, act: ActionFactory): void {
  const images = program.command('images').description('a still per scene; every take is kept');
  addProviderOptions(
    images
      .command('generate')
      .description('make images for scenes that have none (or a new take with --new-take)')
      .argument('<project>', 'project id, id prefix or name')
      .option('--scene <n>', 'only these scenes (repeatable; 3, 2-5, 1,4)', collect)
      .option('--new-take', 'make a new take even where one exists')
      .option('--concurrency <n>', 'parallel generations')
      .option('--dry-run', 'print what the paid providers would cost, then stop (nothing is stored or paid)')
      .option('--max-cost <usd>', 'refuse when the estimate is over USD, and stop before spending more than USD on this project')
      .option('--cancel-on-exit', 'on Ctrl-C, cancel in-flight predictions instead of leaving them to re-attach')
      .option('--detach', 'only enqueue the job (run it with omvee worker) and print its id'),
    ['images'],
  )
    .addHelpText('after', `
Examples:
  $ omvee images generate "Easy Kill"
  $ omvee images generate 3f2a --scene 4 --new-take`)
    .action(act(() => import('./generate.ts')));
  images
    .command('list')
    .description('list image takes')
    .argument('<project>', 'project id, id prefix or name')
    .addHelpText('after', `
Examples:
  $ omvee images list "Easy Kill" --json | jq -r '.[] | select(.status=="completed") | .image_path'`)
    .action(act(() => import('./list.ts')));
}
