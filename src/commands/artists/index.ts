import { Option, type Command } from 'commander';
import type { ActionFactory } from '../../cli/action.ts';

/** --image may repeat; each value is one path (commas are allowed in file names). */
function repeat(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function registerArtists(program: Command, act: ActionFactory): void {
  const artists = program
    .command('artists')
    .description('performers with 3–5 reference images that scenes can feature')
    .addHelpText('after', `
Examples:
  $ omvee artists add "Mara Vey" --image front.png --image side.jpg --image stage.webp
  $ omvee scenes feature "Easy Kill" 1 3-5 --artist "Mara Vey"
  $ omvee artists list --json | jq -r '.[].name'`);

  artists
    .command('add')
    .description('add an artist with 3 to 5 reference images (PNG, JPEG or WebP)')
    .argument('<name>', 'artist name (at most 255 characters; unique)')
    .addOption(new Option('--image <file>', 'a reference image (repeat 3 to 5 times)').argParser(repeat))
    .option('--description <text>', 'who they are / how they look, e.g. "red hair, silver jacket"')
    .addHelpText('after', `
The images are checked (real PNG/JPEG/WebP stills, 32–8192 px a side, at most 20 MB) and copied
into omvee's storage; nothing is stored unless every one is fine.

Examples:
  $ omvee artists add "Mara Vey" --image front.png --image side.jpg --image stage.webp
  $ omvee artists add "Mara Vey" --image a.png --image b.png --image c.png --description "red hair"
  $ id=$(omvee artists add "Mara Vey" --image a.png --image b.png --image c.png --json | jq -r .id)`)
    .action(act(() => import('./add.ts')));

  artists
    .command('list')
    .description('list artists by name')
    .addHelpText('after', `
Examples:
  $ omvee artists list
  $ omvee artists list --json | jq -r '.[] | [.id, .name] | @tsv'`)
    .action(act(() => import('./list.ts')));

  artists
    .command('show')
    .description('show one artist with its reference images and the scenes featuring it')
    .argument('<artist>', 'artist id, id prefix or name')
    .addHelpText('after', `
Examples:
  $ omvee artists show "Mara Vey"
  $ omvee artists show 9c1e --json | jq -r '.reference_images[]'`)
    .action(act(() => import('./show.ts')));

  artists
    .command('update')
    .description("rename an artist or change its description")
    .argument('<artist>', 'artist id, id prefix or name')
    .option('--name <name>', 'new name')
    .option('--description <text>', 'new description ("" clears it)')
    .addHelpText('after', `
Examples:
  $ omvee artists update "Mara Vey" --description "red hair, silver jacket"
  $ omvee artists update 9c1e --name "Mara" --json`)
    .action(act(() => import('./update.ts')));

  artists
    .command('remove')
    .description('remove an artist and its images; scenes featuring it go back to no artist (asks first; --yes without a TTY)')
    .argument('<artist>', 'artist id, id prefix or name')
    .addHelpText('after', `
Images already generated for those scenes are kept.

Examples:
  $ omvee artists remove "Mara Vey"
  $ omvee artists remove 9c1e --yes  # in scripts and CI`)
    .action(act(() => import('./remove.ts')));
}
