// argv → options for every command, in process: the action wrapper parses each command's flags
// with the handler's own zod schema before anything runs. One row at least per command of the
// tree (a new command without a row fails the coverage test), and bad values are usage errors
// (exit 2) that name the flag.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/main.ts';
import { commandPath } from '../../src/cli/action.ts';
import { runCli } from '../support/run-cli.ts';

interface Row {
  argv: string[];
  path: string;
  args?: string[];
  options: Record<string, unknown>;
}

const ROWS: Row[] = [
  { argv: ['run', 'song.mp3', '--lyrics', 'a.lrc', '--out', 'v.mp4', '--scene-min', '4', '--scene-max', '8.5', '--concurrency', '3', '--max-cost', '$2.50', '--dry-run', '--images', 'local'], path: 'run', args: ['song.mp3'], options: { lyrics: 'a.lrc', out: 'v.mp4', sceneMin: 4, sceneMax: 8.5, concurrency: 3, maxCost: 2.5, dryRun: true, images: 'local' } },
  { argv: ['run', '--project', 'p1', '--cancel-on-exit', '--detach', '--lyrics-overlay'], path: 'run', args: [], options: { project: 'p1', cancelOnExit: true, detach: true, lyricsOverlay: true } },
  { argv: ['run', 'song.mp3', '--aspect', '9:16', '--resolution', '1080', '--fps', '25', '--captions', 'Minimal', '--visualizer', 'wave', '--preview'], path: 'run', args: ['song.mp3'], options: { aspect: '9:16', resolution: '1080p', fps: 25, captions: 'minimal', visualizer: 'wave', preview: true } },
  { argv: ['project', 'create', 'Easy Kill', '--audio', 's.mp3', '--style', 'neon'], path: 'project create', args: ['Easy Kill'], options: { audio: 's.mp3', style: 'neon' } },
  { argv: ['project', 'create', 'Square', '--aspect', 'square', '--resolution', '480p', '--fps', '24', '--captions', 'none', '--visualizer', 'bars'], path: 'project create', args: ['Square'], options: { aspect: '1:1', resolution: '480p', fps: 24, captions: 'none', visualizer: 'bars' } },
  { argv: ['project', 'update', 'p1', '--aspect', '4x5', '--captions', 'karaoke'], path: 'project update', args: ['p1'], options: { aspect: '4:5', captions: 'karaoke' } },
  { argv: ['project', 'list', '--status', 'rendered', '--limit', '5'], path: 'project list', options: { status: 'rendered', limit: 5 } },
  { argv: ['project', 'list'], path: 'project list', options: { limit: 50 } },
  { argv: ['project', 'show', 'p1'], path: 'project show', args: ['p1'], options: {} },
  { argv: ['project', 'update', 'p1', '--name', 'N', '--style', ''], path: 'project update', args: ['p1'], options: { name: 'N', style: '' } },
  { argv: ['project', 'delete', 'p1'], path: 'project delete', args: ['p1'], options: {} },
  { argv: ['project', 'cost', 'p1', '--takes'], path: 'project cost', args: ['p1'], options: { takes: true } },
  { argv: ['project', 'export', 'p1', '--out', 'dir', '--no-jobs'], path: 'project export', args: ['p1'], options: { out: 'dir', jobs: false } },
  { argv: ['project', 'import', 'dir', '--name', 'copy'], path: 'project import', args: ['dir'], options: { name: 'copy' } },
  { argv: ['upload', 'audio', 'p1', 's.wav'], path: 'upload audio', args: ['p1', 's.wav'], options: {} },
  { argv: ['upload', 'presign', 'p1', 'song.mp3', '--upsert'], path: 'upload presign', args: ['p1', 'song.mp3'], options: { upsert: true } },
  { argv: ['transcript', 'import', 'p1', 'a.srt', '--format', 'srt'], path: 'transcript import', args: ['p1', 'a.srt'], options: { format: 'srt' } },
  { argv: ['transcript', 'generate', 'p1', '--language', 'en', '--transcriber', 'local'], path: 'transcript generate', args: ['p1'], options: { language: 'en', transcriber: 'local' } },
  { argv: ['transcript', 'show', 'p1', '--format', 'vtt'], path: 'transcript show', args: ['p1'], options: { format: 'vtt' } },
  { argv: ['transcript', 'edit', 'p1'], path: 'transcript edit', args: ['p1'], options: {} },
  { argv: ['analyze', 'p1', '--plot', 'out/a.PNG', '--force'], path: 'analyze', args: ['p1'], options: { plot: 'out/a.PNG', force: true } },
  { argv: ['analyze', 'p1'], path: 'analyze', args: ['p1'], options: {} },
  { argv: ['scenes', 'select', 'p1', '--scene-min', '2', '--director', 'local'], path: 'scenes select', args: ['p1'], options: { sceneMin: 2, director: 'local' } },
  { argv: ['scenes', 'list', 'p1'], path: 'scenes list', args: ['p1'], options: {} },
  { argv: ['scenes', 'show', 'p1', '3'], path: 'scenes show', args: ['p1', '3'], options: {} },
  { argv: ['scenes', 'edit', 'p1', '2', '--start', '4.5', '--title', 'Night'], path: 'scenes edit', args: ['p1', '2'], options: { start: 4.5, title: 'Night' } },
  { argv: ['scenes', 'storyboard', 'p1', '--out', 'b.png', '--columns', '6'], path: 'scenes storyboard', args: ['p1'], options: { out: 'b.png', columns: 6 } },
  { argv: ['scenes', 'feature', 'p1', '2-3', '--artist', 'Ana'], path: 'scenes feature', args: ['p1', '2-3'], options: { artist: 'Ana', role: 'primary' } },
  { argv: ['prompts', 'generate', 'p1', '--force'], path: 'prompts generate', args: ['p1'], options: { force: true } },
  { argv: ['prompts', 'list', 'p1'], path: 'prompts list', args: ['p1'], options: {} },
  { argv: ['images', 'generate', 'p1', '--scene', '2-3', '--scene', '5', '--new-take', '--concurrency', '2'], path: 'images generate', args: ['p1'], options: { scene: [2, 3, 5], newTake: true, concurrency: 2 } },
  { argv: ['images', 'list', 'p1'], path: 'images list', args: ['p1'], options: {} },
  { argv: ['clips', 'generate', 'p1', '--clips', 'local', '--max-cost', '1'], path: 'clips generate', args: ['p1'], options: { clips: 'local', maxCost: 1 } },
  { argv: ['clips', 'list', 'p1'], path: 'clips list', args: ['p1'], options: {} },
  { argv: ['clips', 'approve', 'p1', '1', '3', '--note', '  good  '], path: 'clips approve', args: ['p1', '1', '3'], options: { note: 'good' } },
  { argv: ['clips', 'approve', 'p1', '--force'], path: 'clips approve', args: ['p1'], options: { force: true } },
  { argv: ['clips', 'reject', 'p1', '2', '--take', '3'], path: 'clips reject', args: ['p1', '2'], options: { take: 3 } },
  { argv: ['render', 'p1', '--out', 'v.mov', '--lyrics-overlay', '--auto-approve'], path: 'render', args: ['p1'], options: { out: 'v.mov', lyricsOverlay: true, autoApprove: true } },
  { argv: ['render', 'p1', '--force', '--open'], path: 'render', args: ['p1'], options: { force: true, open: true } },
  { argv: ['render', 'p1', '--preview', '--out', 'p.mp4'], path: 'render', args: ['p1'], options: { preview: true, out: 'p.mp4' } },
  { argv: ['render', 'p1', '--export', 'FCPXML', '--out', 'cut.fcpxml'], path: 'render', args: ['p1'], options: { export: 'fcpxml', out: 'cut.fcpxml' } },
  { argv: ['open', 'p1'], path: 'open', args: ['p1'], options: {} },
  { argv: ['artists', 'add', 'Ana', '--image', 'a.png', '--image', 'b.png', '--description', 'red hair'], path: 'artists add', args: ['Ana'], options: { image: ['a.png', 'b.png'], description: 'red hair' } },
  { argv: ['artists', 'list'], path: 'artists list', options: {} },
  { argv: ['artists', 'show', 'Ana'], path: 'artists show', args: ['Ana'], options: {} },
  { argv: ['artists', 'update', 'Ana', '--name', 'Anna'], path: 'artists update', args: ['Ana'], options: { name: 'Anna' } },
  { argv: ['artists', 'remove', 'Ana'], path: 'artists remove', args: ['Ana'], options: {} },
  { argv: ['jobs', 'list', '--project', 'p1', '--status', 'failed', '--type', 'generate_clips', '--since', '2h'], path: 'jobs list', options: { project: 'p1', status: 'failed', type: 'generate_clips', since: '2h', limit: 100 } },
  { argv: ['jobs', 'show', 'j1'], path: 'jobs show', args: ['j1'], options: {} },
  { argv: ['jobs', 'watch', '--project', 'p1', '--exit-status', '--interval', '250'], path: 'jobs watch', args: [], options: { project: 'p1', exitStatus: true, interval: 250 } },
  { argv: ['jobs', 'retry', 'j1', '--reset-attempts'], path: 'jobs retry', args: ['j1'], options: { resetAttempts: true } },
  { argv: ['jobs', 'cancel', 'j1'], path: 'jobs cancel', args: ['j1'], options: {} },
  { argv: ['worker', '--concurrency', '4', '--types', 'generate_images,generate_clips', '--once', '--lease', '30', '--grace', '5'], path: 'worker', options: { concurrency: 4, types: ['generate_images', 'generate_clips'], once: true, lease: 30, grace: 5 } },
  { argv: ['doctor', '--offline'], path: 'doctor', options: { offline: true } },
  { argv: ['login', '--email', 'a@b.c', '--password-stdin'], path: 'login', options: { email: 'a@b.c', passwordStdin: true } },
  { argv: ['logout'], path: 'logout', options: {} },
  { argv: ['config', 'show', '--all'], path: 'config show', options: { all: true } },
  { argv: ['config', 'path'], path: 'config path', options: {} },
  { argv: ['config', 'set', 'OMVEE_SCENE_MIN', '4'], path: 'config set', args: ['OMVEE_SCENE_MIN', '4'], options: {} },
  { argv: ['config', 'unset', 'OMVEE_SCENE_MIN'], path: 'config unset', args: ['OMVEE_SCENE_MIN'], options: {} },
];

/** [argv, what stderr must say]: each a usage error (exit 2) naming the flag, before anything runs. */
const BAD: [string[], RegExp][] = [
  [['images', 'generate', 'p1', '--concurrency', '0'], /invalid --concurrency "0"[\s\S]*hint: a whole number from 1 to 64/],
  [['run', 'song.mp3', '--max-cost', 'lots'], /invalid --max-cost "lots"[\s\S]*hint: an amount in US dollars/],
  [['run', 'song.mp3', '--scene-min', 'abc'], /invalid --scene-min "abc"[\s\S]*hint: a number of seconds/],
  [['run', 'song.mp3', '--out', 'video.gif'], /--out must name an \.mp4 file/],
  [['run', 'song.mp3', '--aspect', '3:2'], /invalid --aspect "3:2"[\s\S]*hint: one of 16:9, 9:16, 1:1, 4:5/],
  [['project', 'create', 'X', '--resolution', '4k'], /invalid --resolution "4k"[\s\S]*hint: one of 480p, 720p, 1080p/],
  [['project', 'update', 'p1', '--fps', '60'], /invalid --fps "60"[\s\S]*hint: one of 24, 25, 30/],
  [['run', 'song.mp3', '--captions', 'loud'], /invalid --captions "loud"[\s\S]*hint: one of karaoke, line, minimal, none/],
  [['project', 'create', 'X', '--visualizer', 'fire'], /invalid --visualizer "fire"[\s\S]*hint: one of bars, wave, none/],
  [['render', 'p1', '--export', 'aaf', '--out', 'x.aaf'], /invalid --export "aaf"[\s\S]*hint: one of otio, edl, fcpxml/],
  [['analyze', 'p1', '--plot', 'plot.jpg'], /--plot must name a \.png file/],
  [['analyze', 'p1', '--plot', ''], /--plot must name a \.png file/],
  [['clips', 'generate', 'p1', '--scene', '0'], /invalid scene number "0"/],
  [['clips', 'reject', 'p1', '2', '--take', 'x'], /invalid --take "x"[\s\S]*hint: a take number from 1/],
  [['scenes', 'storyboard', 'p1', '--columns', '40'], /invalid --columns "40"/],
  [['jobs', 'watch', '--interval', '10'], /invalid value for --interval "10"/],
  [['worker', '--types', 'render_everything'], /invalid value for --types/],
  [['transcript', 'generate', 'p1', '--language', 'english!'], /invalid value for --language "english!": a language code such as en/],
];

function leaves(cmd: Command): Command[] {
  return cmd.commands.length === 0 ? [cmd] : cmd.commands.flatMap(leaves);
}

describe('argv → options, every command', () => {
  it('every command of the tree has a row in the table', () => {
    const program = buildProgram({ io: { stdout: { write: () => true }, stderr: { write: () => true }, stdin: process.stdin, env: {}, cwd: '/' }, abort: new AbortController() });
    const paths = leaves(program).map(commandPath).sort();
    assert.ok(paths.length >= 40, `expected the whole command tree, found ${paths.length}`);
    const covered = new Set(ROWS.map((r) => r.path));
    assert.deepEqual(paths.filter((p) => !covered.has(p)), [], 'commands without a row in ROWS');
  });

  for (const row of ROWS) {
    it(`omvee ${row.argv.join(' ')}`, async () => {
      const result = await runCli(row.argv, { capture: true });
      assert.equal(result.code, 0, result.stderr);
      assert.ok(result.parsed, 'the handler input was captured');
      assert.equal(result.parsed.path, row.path);
      if (row.args) assert.deepEqual(result.parsed.args, row.args);
      assert.deepEqual(result.parsed.options, row.options);
    });
  }

  for (const [argv, stderr] of BAD) {
    it(`usage error: omvee ${argv.join(' ')}`, async () => {
      const result = await runCli(argv, { capture: true });
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.parsed, null, 'the handler never ran');
      assert.match(result.stderr, /^error: /);
      assert.match(result.stderr, stderr);
      assert.doesNotMatch(result.stderr, /ZodError|at .*\.ts:\d+/);
    });
  }
});
