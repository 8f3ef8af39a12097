import { Command } from 'commander';
import type { ActionFactory } from '../../cli/action.ts';
import { addVideoOptions } from '../shared-options.ts';

export function registerProject(program: Command, act: ActionFactory): void {
  const project = program.command('project').description('create, list, show, update and delete projects')
    .addHelpText('after', `
Examples:
  $ omvee project create "Easy Kill" --audio song.mp3 --style "neon noir, rain"
  $ omvee project list
  $ omvee project show "Easy Kill" --json | jq -r .status
  $ omvee project cost "Easy Kill" --takes`);

  addVideoOptions(project
    .command('create')
    .description('create a project (optionally with its song)')
    .argument('<name>', 'project name (at most 255 characters)')
    .option('--audio <file>', 'the song (mp3, wav, flac, m4a, ogg, …)')
    .option('--style <text>', 'visual style, e.g. "neon noir, rain, 35mm film"'))
    .addHelpText('after', `
Examples:
  $ omvee project create "Easy Kill" --audio song.mp3 --style "neon noir"
  $ omvee project create "Easy Kill (vertical)" --audio song.mp3 --aspect 9:16 --resolution 1080p --captions karaoke
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

  addVideoOptions(project
    .command('update')
    .description('rename a project, change its style or the video it makes (shape, resolution, frame rate, captions)')
    .argument('<project>', 'project id, id prefix or name')
    .option('--name <name>', 'new name')
    .option('--style <text>', 'new visual style ("" clears it)'))
    .addHelpText('after', `
A new shape (--aspect/--resolution) or frame rate makes the stills and clips made for the old
one stale: they are kept as older takes, and the next images/clips step (or run --project)
makes new ones for the new frame; render never uses a clip of another shape. New captions or a
visualizer only re-finish the clips at the next render (nothing is generated again).

Examples:
  $ omvee project update "Easy Kill" --style "watercolour, dawn light"
  $ omvee project update "Easy Kill" --aspect 9:16 && omvee run --project "Easy Kill"
  $ omvee project update 3f2a --captions line --visualizer bars --json | jq .stale`)
    .action(act(() => import('./update.ts')));

  project
    .command('cost')
    .description('what a project has cost: per step, per take (--takes), total')
    .argument('<project>', 'project id, id prefix or name')
    .option('--takes', 'list every prompt, image and clip take with its cost')
    .addHelpText('after', `
Costs are what each provider call recorded: Replicate predictions, Whisper minutes, LLM calls
(OpenRouter's reported charge, else tokens × the price table). Local steps cost nothing.

Examples:
  $ omvee project cost "Easy Kill"
  $ omvee project cost 3f2a --takes
  $ omvee project cost 3f2a --json | jq .total_usd`)
    .action(act(() => import('./cost.ts')));

  project
    .command('delete')
    .description('delete a project, its rows and its files (asks first; --yes without a TTY)')
    .argument('<project>', 'project id, id prefix or name')
    .addHelpText('after', `
Examples:
  $ omvee project delete "Easy Kill"
  $ omvee project delete 3f2a --yes  # in scripts and CI`)
    .action(act(() => import('./delete.ts')));

  project
    .command('export')
    .description('copy a project (every row and file) into a folder: project.json + files/')
    .argument('<project>', 'project id, id prefix or name')
    .option('--out <dir>', 'folder to create (new or empty; default: ./<name>-<id>)')
    .option('--no-jobs', 'leave the job history out')
    .addHelpText('after', `
The folder holds project.json (format version, omvee version, the rows of the project, its
scenes, prompts, images, clips, approvals, final videos and jobs) and files/ (everything under
projects/<id>/ in storage, same paths). Import it with \`omvee project import\` on any backend.

Examples:
  $ omvee project export "Easy Kill" --out easy-kill-export
  $ omvee --backend local project export 3f2a --out /tmp/p && omvee --backend supabase project import /tmp/p
  $ omvee project export 3f2a --json | jq -r .out`)
    .action(act(() => import('./export.ts')));

  project
    .command('import')
    .description('create a NEW project from an export folder, in the current backend')
    .argument('<dir>', 'a folder written by `omvee project export`')
    .option('--name <name>', 'name of the new project (default: the exported name)')
    .addHelpText('after', `
Every row is checked against the data model and every file against its checksum before anything
is written; the new project gets new ids. If the import fails midway, what it wrote is removed.
Pending or running jobs are not imported (finished ones are kept as history).

Examples:
  $ omvee project import easy-kill-export --name "Easy Kill (cloud)"
  $ id=$(omvee project import ./p --json | jq -r .id)`)
    .action(act(() => import('./import.ts')));
}
