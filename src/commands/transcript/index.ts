import { Option, type Command } from 'commander';
import type { ActionFactory } from '../../cli/action.ts';
import { addProviderOptions } from '../shared-options.ts';

export function registerTranscript(program: Command, act: ActionFactory): void {
  const transcript = program.command('transcript').description('lyrics with timestamps: import, transcribe, show, edit')
    .addHelpText('after', `
Examples:
  $ omvee transcript import "Easy Kill" song.lrc
  $ omvee transcript generate "Easy Kill" --language en
  $ omvee transcript show "Easy Kill" --format srt > song.srt
  $ omvee transcript edit "Easy Kill"`);

  transcript
    .command('import')
    .description('import lyrics: LRC (incl. enhanced word times), SRT, WebVTT, Whisper verbose_json, or plain text')
    .argument('<project>', 'project id, id prefix or name')
    .argument('<file>', 'lyrics file')
    .addOption(new Option('--format <format>', 'force a format instead of detecting it').choices(['lrc', 'srt', 'vtt', 'whisper_json', 'text']))
    .addHelpText('after', `
Lines past the end of the song are clipped or dropped with a warning. Plain text lines are
spread over the song. An empty file means an instrumental.

Examples:
  $ omvee transcript import "Easy Kill" lyrics.lrc
  $ omvee transcript import 3f2a words.txt --format text --json`)
    .action(act(() => import('./import.ts')));

  addProviderOptions(
    transcript
      .command('generate')
      .description('transcribe the song with the configured transcriber (see `omvee doctor` for which one runs)')
      .argument('<project>', 'project id, id prefix or name')
      .option('--language <code>', 'language hint, e.g. en'),
    ['transcriber'],
  )
    .addHelpText('after', `
Examples:
  $ omvee transcript generate "Easy Kill" --language en`)
    .action(act(() => import('./generate.ts')));

  transcript
    .command('show')
    .description('print the transcript (a table, or LRC/SRT/VTT)')
    .argument('<project>', 'project id, id prefix or name')
    .addOption(new Option('--format <format>', 'print as a lyrics file').choices(['lrc', 'srt', 'vtt']))
    .addHelpText('after', `
Examples:
  $ omvee transcript show "Easy Kill"
  $ omvee transcript show 3f2a --format srt > lyrics.srt`)
    .action(act(() => import('./show.ts')));

  transcript
    .command('edit')
    .description('edit the transcript in $EDITOR (as LRC); it is validated before it is saved')
    .argument('<project>', 'project id, id prefix or name')
    .addHelpText('after', `
Examples:
  $ EDITOR=nano omvee transcript edit "Easy Kill"`)
    .action(act(() => import('./edit.ts')));
}
