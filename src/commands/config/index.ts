import type { Command } from 'commander';
import type { ActionFactory } from '../../cli/action.ts';

export function registerConfig(program: Command, act: ActionFactory): void {
  const config = program.command('config').description('show and change settings')
    .addHelpText('after', `
Examples:
  $ omvee config show
  $ omvee config show --all
  $ omvee config path`);
  config
    .command('show')
    .description('every setting with its value and where it comes from (flag, env, .env, config file, default); secrets redacted')
    .option('--all', 'also list settings that are not set')
    .addHelpText('after', `
Precedence: flags > environment > ./.env > $XDG_CONFIG_HOME/omvee/config.json > defaults.
Secrets (API keys, tokens) are read from the environment, .env or the config file, never from flags.

Examples:
  $ omvee config show
  $ omvee config show --json | jq -r .OMVEE_HOME.value`)
    .action(act(() => import('./show.ts')));
  config
    .command('path')
    .description('print where omvee reads its config file and keeps its data')
    .addHelpText('after', `
Examples:
  $ omvee config path
  $ omvee config path --json | jq -r .home`)
    .action(act(() => import('./path.ts')));
  config
    .command('set')
    .description('keep a setting in the user config file (not secrets: those go in the environment or .env)')
    .argument('<setting>', 'the setting, e.g. OMVEE_SCENE_MIN (see: omvee config show --all)')
    .argument('<value>', 'its value')
    .addHelpText('after', `
Flags, the environment and ./.env still win over the config file.

Examples:
  $ omvee config set OMVEE_SCENE_MIN 4
  $ omvee config set OMVEE_IMAGES local  # never pay for images by accident`)
    .action(act(() => import('./set.ts')));
  config
    .command('unset')
    .description('remove a setting from the user config file')
    .argument('<setting>', 'the setting, e.g. OMVEE_SCENE_MIN')
    .addHelpText('after', `
Examples:
  $ omvee config unset OMVEE_SCENE_MIN`)
    .action(act(() => import('./unset.ts')));
}
