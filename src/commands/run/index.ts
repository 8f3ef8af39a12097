import type { Command } from 'commander';
import type { ActionFactory } from '../../cli/action.ts';
import { addProviderOptions, addSceneBoundOptions, addVideoOptions } from '../shared-options.ts';

export function registerRun(program: Command, act: ActionFactory): void {
  const cmd = program
    .command('run')
    .description('everything at once: song (+ lyrics) → project → transcript → analysis (beats, sections) → scenes → prompts → images → clips → final video')
    .argument('[audio]', 'the song (not needed with --project or --batch)')
    .option('--lyrics <file>', 'lyrics file (LRC, SRT, VTT, Whisper JSON, text); without it the transcriber runs')
    .option('--name <name>', 'project name (default: the song file name)')
    .option('--style <text>', 'visual style')
    .option('--out <file>', 'copy the final video here')
    .option('--lyrics-overlay', 'burn the lyrics in as subtitles')
    .option('--project <project>', 'resume an existing project where it stopped')
    .option('--batch <file>', 'render every song listed in a JSON or CSV file (audio,lyrics,name,style)')
    .option('--concurrency <n>', 'parallel image/clip generations')
    .option('--dry-run', 'print what the paid providers would cost, then stop (nothing is stored or paid)')
    .option('--max-cost <usd>', 'refuse when the estimate is over USD, and stop before spending more than USD on this project')
    .option('--detach', 'only prepare the project and queue every step as jobs for `omvee worker`; print the ids')
    .option('--cancel-on-exit', 'on Ctrl-C, cancel in-flight predictions instead of leaving them to re-attach')
    .option('--preview', 'stop after the images with a 360p animatic (stills, camera, captions, the song): no clip is made or paid for');
  addVideoOptions(cmd);
  addSceneBoundOptions(addProviderOptions(cmd, ['transcriber', 'director', 'images', 'clips']))
    .addHelpText('after', `
Asks nothing when not on a TTY. Interrupt it at any time: finished work is kept and
\`omvee run --project <id>\` picks up where it stopped, without redoing or duplicating takes.

Examples:
  $ omvee run demo/easy-kill.mp3 --lyrics demo/easy-kill.lrc --out easy-kill.mp4
  $ omvee run song.mp3 --lyrics song.lrc --aspect 9:16 --captions karaoke --out short.mp4  # vertical, 720x1280
  $ omvee run song.mp3 --preview  # stills and a 360p animatic first, no clip paid; then resume the project
  $ omvee run --project 3f2a --out easy-kill.mp4  # resume
  $ omvee run song.mp3 --detach --json && omvee worker  # queue it; any worker runs it
  $ omvee run song.wav --dry-run  # what it would cost
  $ omvee run song.wav --max-cost 5  # stop before spending more than $5
  $ omvee run song.wav --json | jq -r .output  # scripting
  $ omvee run --batch songs.csv --json > results.json  # batch (exit 1 if any song failed)`)
    .action(act(() => import('./run.ts')));
}
