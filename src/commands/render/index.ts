import type { Command } from 'commander';
import type { ActionFactory } from '../../cli/action.ts';

export function registerRender(program: Command, act: ActionFactory): void {
  program
    .command('render')
    .description('cut the final video: approved clips in scene order, frame-exact, with the song')
    .argument('<project>', 'project id, id prefix or name')
    .option('--out <file>', 'also copy the video here (e.g. video.mp4)')
    .option('--lyrics-overlay', 'burn the lyrics in as styled subtitles')
    .option('--auto-approve', 'use the latest take of scenes nobody reviewed (same as --yes)')
    .option('--detach', 'only enqueue the job (run it with omvee worker) and print its id')
    .option('--force', 'render anew even when the last cut is up to date (otherwise it is copied)')
    .option('--open', 'open the video on the desktop when it is ready')
    .option('--upload-only', 'store the last render whose upload failed (kept on this machine) without rendering again')
    .addHelpText('after', `
The result is verified with ffprobe (frame count = the song to the frame, audio and video end
together) before it is stored in the project's final/ folder. When nothing changed since the
last cut (clips, scenes, reviews), that cut is copied instead of rendered again (--force renders
anew). On a terminal, clips nobody reviewed make it ask whether to use the latest takes.
On Supabase the size limit of the bucket is checked before anything is encoded; files above
6 MB are uploaded resumably. When the upload fails the render is kept on this machine and
--upload-only stores it later.

Examples:
  $ omvee render "Easy Kill" --out easy-kill.mp4
  $ omvee render 3f2a --yes --lyrics-overlay --json | jq -r .output
  $ omvee render "Easy Kill" --open  # watch it when it is ready
  $ omvee render "Easy Kill" --upload-only  # after "rendered but not stored"`)
    .action(act(() => import('./render.ts')));
  program
    .command('open')
    .description("open a project's latest final video on the desktop")
    .argument('<project>', 'project id, id prefix or name')
    .addHelpText('after', `
Examples:
  $ omvee open "Easy Kill"`)
    .action(act(() => import('./open.ts')));
}
