import { Command } from 'commander';
import type { ActionFactory } from '../../cli/action.ts';

export function registerProject(program: Command, act: ActionFactory): void {
  const project = program.command('project').description('create, list, show, update and delete projects');

  project
    .command('create')
    .description('create a project (optionally with its song)')
    .argument('<name>', 'project name (at most 255 characters)')
    .option('--audio <file>', 'the song (mp3, wav, flac, m4a, ogg, …)')
    .option('--style <text>', 'visual style, e.g. "neon noir, rain, 35mm film"')
    .addHelpText('after', `
Examples:
  $ omvee project create "Easy Kill" --audio song.mp3 --style "neon noir"
  $ id=$(omvee project create "Batch 1" --json | jq -r .id)`)
    .action(act(() => import('./create.ts')));

  project
    .command('list')
    .description('list projects, newest first')
    .option('--status <status>', 'only projects in this status (created, uploaded, transcribed, …, rendered)')
    .option('--limit <n>', 'at most n projects', '50')
    .addHelpText('after', `
Examples:
  $ omvee project list
  $ omvee project list --status rendered --json | jq -r '.[].name'`)
    .action(act(() => import('./list.ts')));

  project
    .command('show')
    .description('show one project (by id, id prefix or unique name)')
    .argument('<project>', 'project id, id prefix or name')
    .addHelpText('after', `
Examples:
  $ omvee project show "Easy Kill"
  $ omvee project show 3f2a --json`)
    .action(act(() => import('./show.ts')));

  project
    .command('update')
    .description('rename a project or change its style')
    .argument('<project>', 'project id, id prefix or name')
    .option('--name <name>', 'new name')
    .option('--style <text>', 'new visual style ("" clears it)')
    .addHelpText('after', `
Examples:
  $ omvee project update "Easy Kill" --style "watercolour, dawn light"`)
    .action(act(() => import('./update.ts')));

  project
    .command('delete')
    .description('delete a project, its rows and its files (asks first; --yes without a TTY)')
    .argument('<project>', 'project id, id prefix or name')
    .addHelpText('after', `
Examples:
  $ omvee project delete "Easy Kill"
  $ omvee project delete 3f2a --yes        in scripts and CI`)
    .action(act(() => import('./delete.ts')));
}
