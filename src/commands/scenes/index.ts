import type { Command } from 'commander';
import type { ActionFactory } from '../../cli/action.ts';
import { addProviderOptions, addSceneBoundOptions } from '../shared-options.ts';

export function registerScenes(program: Command, act: ActionFactory): void {
  const scenes = program.command('scenes').description('scenes that cover the whole song: select, list, show, edit, storyboard')
    .addHelpText('after', `
Examples:
  $ omvee scenes select "Easy Kill" --scene-min 4 --scene-max 8
  $ omvee scenes list "Easy Kill"
  $ omvee scenes edit "Easy Kill" 3 --start 41.5
  $ omvee scenes storyboard "Easy Kill" --out board.png`);

  addSceneBoundOptions(addProviderOptions(scenes.command('select').description('choose scenes covering the song from 0 to its end, cut on lyric lines').argument('<project>', 'project id, id prefix or name'), ['director']))
    .addHelpText('after', `
Replacing scenes that already have images or clips asks first (--yes in scripts): their takes go with them.

Examples:
  $ omvee scenes select "Easy Kill"
  $ omvee scenes select 3f2a --scene-min 4 --scene-max 8 --yes --json`)
    .action(act(() => import('./select.ts')));

  scenes
    .command('list')
    .description('list the scenes in order')
    .argument('<project>', 'project id, id prefix or name')
    .addHelpText('after', `
Examples:
  $ omvee scenes list "Easy Kill"
  $ omvee scenes list 3f2a --json | jq '.[] | [.scene, .start_time_s, .end_time_s]'`)
    .action(act(() => import('./list.ts')));

  scenes
    .command('show')
    .description('one scene with its prompt, images and clips')
    .argument('<project>', 'project id, id prefix or name')
    .argument('<scene>', 'scene number (1 = first)')
    .addHelpText('after', `
Examples:
  $ omvee scenes show "Easy Kill" 3
  $ omvee scenes show 3f2a 3 --json | jq -r .prompt.image_prompt`)
    .action(act(() => import('./show.ts')));

  scenes
    .command('edit')
    .description("change a scene's times, title, theme or lyric excerpt (neighbours move so the song stays covered)")
    .argument('<project>', 'project id, id prefix or name')
    .argument('<scene>', 'scene number (1 = first)')
    .option('--start <seconds>', 'new start (moves the previous scene’s end)')
    .option('--end <seconds>', 'new end (moves the next scene’s start)')
    .option('--title <text>', 'new title')
    .option('--theme <text>', 'new theme')
    .option('--excerpt <text>', 'new lyric excerpt')
    .addHelpText('after', `
Examples:
  $ omvee scenes edit "Easy Kill" 3 --end 27.5
  $ omvee scenes edit 3f2a 1 --theme "city at night"`)
    .action(act(() => import('./edit.ts')));

  scenes
    .command('storyboard')
    .description('a contact sheet (PNG) of the scene images with their times and lyric lines')
    .argument('<project>', 'project id, id prefix or name')
    .option('--out <file>', 'where to write the PNG (default: ./<project>-storyboard.png)')
    .option('--columns <n>', 'thumbnails per row', '4')
    .addHelpText('after', `
Examples:
  $ omvee scenes storyboard "Easy Kill" --out board.png`)
    .action(act(() => import('./storyboard.ts')));

  scenes
    .command('feature')
    .description('feature an artist in scenes (primary subject or background), or clear it with --role none')
    .argument('<project>', 'project id, id prefix or name')
    .argument('<scene...>', 'scene numbers: 3, 2-5 or 1,4 (1 = first)')
    .option('--artist <artist>', 'artist id, id prefix or name (see: omvee artists list)')
    .option('--role <role>', 'primary, background or none (none clears the artist)', 'primary')
    .addHelpText('after', `
The image step passes the artist's reference images to the image generator for these scenes.
Scenes that already have images keep them until you make a new take.

Examples:
  $ omvee scenes feature "Easy Kill" 1 3-5 --artist "Mara Vey"
  $ omvee scenes feature "Easy Kill" 2 --artist "Mara Vey" --role background
  $ omvee scenes feature 3f2a 1-8 --role none --json`)
    .action(act(() => import('./artist.ts')));
}
