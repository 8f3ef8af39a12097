import type { Command } from 'commander';
import type { ActionFactory } from '../../cli/action.ts';

export function registerAnalyze(program: Command, act: ActionFactory): void {
  program
    .command('analyze')
    .description("what omvee hears in the song: tempo, meter, beats, bars, sections with labels, the chorus, energy")
    .argument('<project>', 'project id, id prefix or name')
    .option('--plot <file>', 'also draw it as a PNG: waveform, beats, downbeats, sections, scene cuts and lyric lines')
    .option('--force', 'analyse again even when the stored analysis is current')
    .addHelpText('after', `
The song is analysed once (a few seconds) and the result kept with the project; it is redone
when the song is replaced. \`omvee run\` and \`omvee scenes select\` use it to cut on the beat.
Repeated material shares a section label (every chorus is the same letter).

Examples:
  $ omvee analyze "Easy Kill"
  $ omvee analyze "Easy Kill" --plot easy-kill.png
  $ omvee analyze 3f2a --json | jq '.sections[] | [.start_s, .label]'
  $ omvee analyze 3f2a --json | jq .tempo_bpm`)
    .action(act(() => import('./analyze.ts')));
}
