/**
 * The song heard, end to end through the built binary: `omvee run` on a synthetic structured song
 * (intro / verse / chorus / verse / chorus / outro at 130 BPM, known beats) analyses it and cuts
 * on its beats — each cut within one frame of a beat whenever a beat lies in the cut's allowed
 * window — and `omvee analyze` shows what it heard (--json, a TTY summary, --plot), with clear
 * errors for bad projects and paths.
 */
import { readFile } from 'node:fs/promises';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { SongTruth } from '../../bench/support/synth-songs.ts';
import { runCli } from '../support/run-cli.ts';
import { writeStructuredSong } from '../support/structured-song.ts';
import { sandbox, type Sandbox } from './helpers.ts';

const run = promisify(execFile);
const FPS = 30;
const MIN = 4;
const MAX = 8;

let sb: Sandbox & { cleanup: () => Promise<void> };
let truth: SongTruth;
before(async () => {
  sb = await sandbox();
  truth = await writeStructuredSong(sb.file('song.wav'));
  const r = await sb.run(['run', sb.file('song.wav'), '--name', 'Beat', '--scene-min', String(MIN), '--scene-max', String(MAX), '--out', sb.file('beat.mp4'), '--json'], { timeoutMs: 240_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /listening to the song/, 'the analyze step ran, with progress on stderr');
  assert.match(r.stderr, /130 BPM, 4\/4, \d+ beats, \d+ sections \(chorus [A-Z]\)/);
  assert.ok((JSON.parse(r.stdout) as { scenes: number }).scenes > 1, 'run --json names its scenes');
});
after(() => sb?.cleanup());

const near = (xs: readonly number[], t: number): number => Math.min(...xs.map((x) => Math.abs(x - t)));

describe('omvee run cuts on the beat', () => {
  test('every cut is on the frame grid and within one frame of a beat whenever one lies in its window', async () => {
    const analysis = await sb.json<{ beats: number[]; downbeats: number[]; sections: { start_s: number; label: string }[] }>(['analyze', 'Beat']);
    const scenes = await sb.json<{ start_time_s: number; end_time_s: number; energy: number }[]>(['scenes', 'list', 'Beat']);
    assert.ok(scenes.length >= 8, `${scenes.length} scenes`);
    const D = truth.durationS;
    assert.equal(scenes[0]!.start_time_s, 0);
    assert.ok(Math.abs(scenes.at(-1)!.end_time_s - D) < 0.01, 'covers the song');
    let checked = 0;
    for (let k = 1; k < scenes.length; k++) {
      const cut = scenes[k]!.start_time_s;
      const prev = scenes[k - 1]!.start_time_s;
      const next = scenes[k]!.end_time_s;
      assert.ok(Math.abs(cut * FPS - Math.round(cut * FPS)) < 1e-3, `cut ${cut} on the ${FPS} fps frame grid`);
      assert.ok(cut - prev >= MIN - 1e-6 && cut - prev <= MAX + 1e-6, `scene ${k} length within bounds`);
      // the cut's allowed window: both neighbouring scenes stay within the bounds
      const lo = Math.max(prev + MIN, next - MAX);
      const hi = Math.min(prev + MAX, next - MIN);
      if (truth.beats.some((b) => b >= lo && b <= hi)) {
        checked += 1;
        assert.ok(near(truth.beats, cut) <= 1 / FPS + 0.02, `cut ${cut.toFixed(3)} within a frame of a true beat (nearest ${near(truth.beats, cut).toFixed(3)} s; the analysis is ±20 ms)`);
        assert.ok(near(analysis.beats, cut) <= 1 / FPS + 1e-6, `cut ${cut.toFixed(3)} within a frame of a heard beat`);
      }
    }
    assert.ok(checked >= scenes.length - 2, `the beat rule was checked on ${checked} cuts`);
    // section boundaries are cut: each found section start has a cut within a frame
    for (const s of analysis.sections.slice(1)) assert.ok(scenes.some((x) => Math.abs(x.start_time_s - s.start_s) <= 1 / FPS + 1e-6), `a cut at the section start ${s.start_s}`);
    // energy from the audio: the quiet intro is quieter than the choruses
    const chorusStart = truth.sections.find((s) => s.name === 'chorus')!.start;
    const intro = scenes[0]!;
    const inChorus = scenes.find((s) => s.start_time_s >= chorusStart - 0.05)!;
    assert.ok(intro.energy < inChorus.energy, `intro ${intro.energy} < chorus ${inChorus.energy}`);
  });

  test('the video is frame-exact and as long as the song', async () => {
    const { stdout } = await run('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', sb.file('beat.mp4')]);
    assert.equal(Number(stdout.trim()), Math.round(truth.durationS * FPS));
  });
});

describe('omvee analyze', () => {
  test('--json: tempo, beats, downbeats, labelled sections with the chorus repeating, energy', async () => {
    const a = await sb.json<{ tempo_bpm: number; meter: number; beats: number[]; downbeats: number[]; sections: { start_s: number; end_s: number; label: string; chorus: boolean }[]; chorus_label: string; energy: { hop_s: number; values: number[] }; notes: string[] }>(['analyze', 'Beat']);
    assert.ok(Math.abs(a.tempo_bpm - 130) < 1, `tempo ${a.tempo_bpm}`);
    assert.equal(a.meter, 4);
    assert.ok(a.beats.length >= truth.beats.length - 4);
    assert.ok(a.downbeats.every((d) => a.beats.includes(d)));
    const labels = a.sections.map((s) => s.label);
    assert.equal(labels.length, 6, labels.join(' '));
    assert.equal(labels[1], labels[3], 'the second verse shares the first one\'s label');
    assert.equal(labels[2], labels[4], 'the second chorus shares the first one\'s label');
    assert.equal(a.chorus_label, labels[2]);
    assert.deepEqual(a.sections.map((s) => s.chorus), labels.map((l) => l === a.chorus_label));
    assert.equal(a.sections[0]!.start_s, 0);
    assert.ok(Math.abs(a.sections.at(-1)!.end_s - truth.durationS) < 0.01, 'the sections cover the song');
    assert.ok(a.energy.values.length > 0 && a.energy.values.every((v) => v >= 0 && v <= 1));
  });

  test('a TTY gets a summary and a sections table with times and labels', async () => {
    const r = await runCli(['analyze', 'Beat'], { env: { ...sb.env }, cwd: sb.cwd, tty: true, columns: 100 });
    assert.equal(r.code, 0, r.stderr);
    r.stdout = r.stdout.replace(/\u001b\[[0-9;]*m/g, '');
    assert.match(r.stdout, /tempo\s+130(\.\d)? BPM/);
    assert.match(r.stdout, /meter\s+4 beats per bar/);
    assert.match(r.stdout, /beats\s+\d+/);
    assert.match(r.stdout, /chorus\s+[A-Z]/);
    assert.match(r.stdout, /#\s+START\s+END\s+LABEL\s+ENERGY/);
    assert.match(r.stdout, /0:22\.\d\d\s+0:36\.\d\d\s+[A-Z] \(chorus\)/);
    assert.ok(!r.stdout.includes('\t'));
  });

  test('--plot writes a PNG a person can read (scene cuts drawn in red)', async () => {
    const out = sb.file('plots/beat.png');
    const r = await sb.run(['analyze', 'Beat', '--plot', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /plot written to .*beat\.png/);
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,width,height', '-of', 'csv=p=0', out]);
    assert.equal(stdout.trim(), 'png,1600,600');
    const raw = (await run('ffmpeg', ['-v', 'error', '-i', out, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { encoding: 'buffer', maxBuffer: 16 << 20 })).stdout as Buffer;
    let red = 0;
    for (let x = 0; x < 1600; x++) {
      const o = (300 * 1600 + x) * 3;
      if (raw[o]! > 150 && raw[o + 1]! < 120 && raw[o + 2]! < 120) red += 1;
    }
    assert.ok(red >= 5, `scene cuts drawn (${red} red columns at y=300)`);
  });

  test("the export hears the stored analysis: a marker at every section, in song time", async () => {
    const a = await sb.json<{ sections: { start_s: number; label: string }[] }>(['analyze', 'Beat']);
    const out = sb.file('edit/beat.otio');
    const r = await sb.run(['render', 'Beat', '--export', 'otio', '--out', out, '--yes']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(await readFile(out, 'utf8')) as { tracks: { markers: { name: string; marked_range: { start_time: { value: number; rate: number } } }[] } };
    const markers = doc.tracks.markers;
    assert.equal(markers.length, a.sections.length, 'one marker per section of the stored analysis');
    for (const [i, m] of markers.entries()) {
      assert.ok(Math.abs(m.marked_range.start_time.value / m.marked_range.start_time.rate - a.sections[i]!.start_s) <= 1 / FPS + 1e-9, `marker ${i} at its section's start`);
      assert.match(m.name, new RegExp(a.sections[i]!.label));
    }
  });

  test('bad input: an unknown project, a project without a song, a plot path that cannot be written', async () => {
    const missing = await sb.run(['analyze', 'No Such Song']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /error: .*No Such Song/);
    assert.match(missing.stderr, /hint: /);
    assert.ok(!/\n\s+at /.test(missing.stderr), 'no stack trace');

    assert.equal((await sb.run(['project', 'create', 'Silent Film'])).code, 0);
    const noSong = await sb.run(['analyze', 'Silent Film']);
    assert.equal(noSong.code, 1, noSong.stderr);
    assert.match(noSong.stderr, /has no song yet[\s\S]*hint: upload one: omvee upload audio/);

    const blocked = sb.file('song.wav/inside.png'); // a folder that is a file
    const bad = await sb.run(['analyze', 'Beat', '--plot', blocked]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /error: the plot could not be written/);
    assert.match(bad.stderr, /hint: /);

    const usage = await sb.run(['analyze', 'Beat', '--plot', 'beat.jpg']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--plot must name a \.png file/);
  });
});
