import type { Command } from 'commander';
import type { ActionFactory } from '../../cli/action.ts';

export function registerUpload(program: Command, act: ActionFactory): void {
  const upload = program.command('upload').description('put files into a project')
    .addHelpText('after', `
Examples:
  $ omvee upload audio "Easy Kill" song.mp3
  $ omvee upload presign 3f2a song.mp3 --json | jq -r .signed_url  # let another machine upload`);
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

  upload
    .command('presign')
    .description('a signed URL to PUT a file into the project\'s audio/ folder without keys (Supabase only)')
    .argument('<project>', 'project id, id prefix or name')
    .argument('<file-name>', 'the name the file will have (folders and unsafe characters are dropped)')
    .option('--upsert', 'let the upload replace an existing file of that name')
    .addHelpText('after', `
Prints the signed upload URL, its token, the storage path (projects/<id>/audio/<file-name>) and how
long it is valid (expires_in, seconds; Supabase honours it for 2 hours). Whoever holds the URL
can upload that one file, no key needed:

  $ curl -X PUT -H "Content-Type: audio/mpeg" --data-binary @song.mp3 "$URL"

Needs the Supabase backend (SUPABASE_URL and a key).

Examples:
  $ omvee upload presign "Easy Kill" song.mp3
  $ url=$(omvee upload presign 3f2a song.mp3 --json | jq -r .url) && curl -X PUT -H "Content-Type: audio/mpeg" --data-binary @song.mp3 "$url"`)
    .action(act(() => import('./presign.ts')));
}
