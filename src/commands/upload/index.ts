import type { Command } from 'commander';
import type { ActionFactory } from '../../cli/action.ts';

export function registerUpload(program: Command, act: ActionFactory): void {
  const upload = program.command('upload').description('put files into a project');
  upload
    .command('audio')
    .description("copy a song into the project's storage and probe it (duration, codec, sample rate, channels)")
    .argument('<project>', 'project id, id prefix or name')
    .argument('<file>', 'the song')
    .addHelpText('after', `
Examples:
  $ omvee upload audio "Easy Kill" song.mp3
  $ omvee upload audio 3f2a take2.wav --json | jq .audio_duration_s`)
    .action(act(() => import('./audio.ts')));
}
