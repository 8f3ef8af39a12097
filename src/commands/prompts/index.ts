import type { Command } from 'commander';
import type { ActionFactory } from '../../cli/action.ts';
import { addProviderOptions } from '../shared-options.ts';

export function registerPrompts(program: Command, act: ActionFactory): void {
  const prompts = program.command('prompts').description('visual prompts per scene (image, style, negative, setting, shot, mood, palette, motion)')
    .addHelpText('after', `
Examples:
  $ omvee prompts generate "Easy Kill"
  $ omvee prompts generate "Easy Kill" --force  # rewrite all
  $ omvee prompts list "Easy Kill" --json | jq -r '.[].image_prompt'`);
  addProviderOptions(prompts.command('generate').description('write prompts for scenes that have none (or all with --force)').argument('<project>', 'project id, id prefix or name').option('--force', 'rewrite every prompt'), ['director'])
    .addHelpText('after', `
Examples:
  $ omvee prompts generate "Easy Kill"
  $ omvee prompts generate 3f2a --force --director local`)
    .action(act(() => import('./generate.ts')));
  prompts
    .command('list')
    .description('list the prompts in scene order')
    .argument('<project>', 'project id, id prefix or name')
    .addHelpText('after', `
Examples:
  $ omvee prompts list "Easy Kill" --json | jq -r '.[].image_prompt'`)
    .action(act(() => import('./list.ts')));
}
