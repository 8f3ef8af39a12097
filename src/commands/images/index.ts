import type { Command } from 'commander';
import type { ActionFactory } from '../../cli/action.ts';
import { addProviderOptions, addTakeOptions } from '../shared-options.ts';

export function registerImages(program: Command, act: ActionFactory): void {
  const images = program.command('images').description('a still per scene; every take is kept')
    .addHelpText('after', `
Examples:
  $ omvee images generate "Easy Kill"
  $ omvee images generate 3f2a --scene 4 --new-take
  $ omvee images list "Easy Kill"`);
  addTakeOptions(addProviderOptions(
    images
      .command('generate')
      .description('make images for scenes that have none (or a new take with --new-take)')
      .argument('<project>', 'project id, id prefix or name'),
    ['images'],
  ))
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
