import type { Command } from 'commander';
import type { ActionFactory } from '../../cli/action.ts';

export function registerRender(program: Command, act: ActionFactory): void {
  program
    .command('render')
    .description('cut the final video: approved clips in scene order, frame-exact, with the song')
    .argument('<project>', 'project id, id prefix or name')
    .option('--out <file>', 'also copy the video here (e.g. video.mp4); with --export, the timeline file')
    .option('--lyrics-overlay', 'burn the lyrics in as styled subtitles')
    .option('--auto-approve', 'use the latest take of scenes nobody reviewed (same as --yes)')
    .option('--detach', 'only enqueue the job (run it with omvee worker) and print its id')
    .option('--force', 'render anew even when the last cut is up to date (otherwise it is copied)')
    .option('--open', 'open the video on the desktop when it is ready')
    .option('--upload-only', 'store the last render whose upload failed (kept on this machine) without rendering again')
    .option('--preview', 'a 360p animatic from the stills (camera motion, captions, the song) before any clip is paid for')
    .option('--export <format>', 'hand the cut to an editor: otio, edl or fcpxml (needs --out FILE; the clips and the song are copied into FILE_media/)')
    .addHelpText('after', `
The result is verified with ffprobe (frame count = the song to the frame, audio and video end
together) before it is stored in the project's final/ folder. When nothing changed since the
last cut (clips, scenes, reviews), that cut is copied instead of rendered again (--force renders
anew). On a terminal, clips nobody reviewed make it ask whether to use the latest takes.
On Supabase the size limit of the bucket is checked before anything is encoded; files above
6 MB are uploaded resumably. When the upload fails the render is kept on this machine and
--upload-only stores it later.

--preview needs only the stills (omvee images generate): each scene's still with its camera
move, the captions and the song, at 360p on the short side, stored as final/preview.mp4.
--export writes an OpenTimelineIO, CMX3600 EDL or FCPXML timeline — each clip with its in/out,
the song, markers at the sections — and copies the clips and the song into a folder next to it
(<FILE without extension>_media/), which the timeline points at by absolute path.

Examples:
  $ omvee render "Easy Kill" --out easy-kill.mp4
  $ omvee render "Easy Kill" --preview --out preview.mp4  # before paying for clips
  $ omvee render "Easy Kill" --export fcpxml --out cut.fcpxml --yes  # Final Cut Pro; cut_media/ beside it
  $ omvee render 3f2a --export otio --out edit/cut.otio --json | jq -r .media_dir
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
