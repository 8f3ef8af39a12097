/**
 * Accuracy and speed of the audio analysis on synthesised songs with known beats, bars and
 * sections (bench/support/synth-songs.ts), decoded from MP3 exactly as a user's song would be.
 *
 *   node bench/analysis.ts            (BENCH_CACHE=/tmp/dir keeps the rendered songs between runs)
 *   node bench/analysis.ts --compare  (also scores music-tempo's beats, a devDependency)
 *   node bench/analysis.ts --speed    (only the 3-, 10- and 30-minute timings)
 *
 * Prints per song: beat F-measure at ±70 ms (MIREX), downbeat F-measure, section boundaries found
 * within one bar (found/total, +extra), whether repeated sections share labels and the chorus is
 * named; then the time to decode + analyse a 3-minute song and the RSS a 10-minute song adds.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeAudio } from '../src/core/analysis/index.ts';
import type { AudioAnalysis } from '../src/core/analysis/model.ts';
import { resolveBinaries } from '../src/media/binaries.ts';
import { decodePcm } from '../src/media/decode-pcm.ts';
import { runFfmpeg } from '../src/media/run.ts';
import { boundaryHits, fMeasure } from './support/metrics.ts';
import { BENCH_SONGS, renderSong, wavBytes } from './support/synth-songs.ts';
import type { SongSpec, SongTruth } from './support/synth-songs.ts';

const compare = process.argv.includes('--compare');
const speedOnly = process.argv.includes('--speed');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
const { ffmpeg } = await resolveBinaries(process.env);
const work = await mkdtemp(join(tmpdir(), 'omvee-bench-analysis-'));
const cache = process.env['BENCH_CACHE'];
if (cache) await mkdir(cache, { recursive: true });

async function songFile(spec: SongSpec): Promise<{ file: string; truth: SongTruth }> {
  const key = createHash('sha256').update(JSON.stringify(spec)).update(readFileSync(fileURLToPath(new URL('./support/synth-songs.ts', import.meta.url)))).digest('hex').slice(0, 12);
  const file = join(cache ?? work, `${spec.id}-${key}.mp3`);
  const cached = cache !== undefined && existsSync(file);
  const { samples, truth } = renderSong(spec, 44100, { audio: !cached });
  if (!cached) {
    const wav = join(work, `${spec.id}.wav`);
    await writeFile(wav, wavBytes(samples, 44100));
    const partial = join(work, `${spec.id}-${key}.partial.mp3`);
    await runFfmpeg(ffmpeg, ['-y', '-i', wav, '-c:a', 'libmp3lame', '-b:a', '160k', partial]);
    await rename(partial, file);
    await rm(wav);
  }
  return { file, truth };
}

async function analyseFile(file: string, durationS: number): Promise<AudioAnalysis> {
  return analyzeAudio(decodePcm(ffmpeg, file), { sampleRate: 22050, durationS, sha256: 'bench' });
}

interface Row {
  song: string;
  what: string;
  bpm: string;
  beatF: number;
  downF: number;
  bounds: string;
  boundsOk: boolean;
  labels: string;
  labelsOk: boolean;
  mtF?: number;
}

/** Ground-truth label check: sections with the same name share the estimated label, others differ. */
function labelCheck(a: AudioAnalysis, truth: SongTruth): { ok: boolean; text: string } {
  const named = truth.sections.filter((s) => s.name !== 'silence');
  const labelAt = (s: { start: number; end: number }): string => {
    // the estimated label covering most of the true section
    const cover = new Map<string, number>();
    for (const e of a.sections) {
      const o = Math.min(e.end_s, s.end) - Math.max(e.start_s, s.start);
      if (o > 0) cover.set(e.label, (cover.get(e.label) ?? 0) + o);
    }
    return [...cover.entries()].sort((x, y) => y[1] - x[1])[0]?.[0] ?? '?';
  };
  const got = named.map((s) => ({ name: s.name, label: labelAt(s) }));
  let ok = true;
  for (const x of got) for (const y of got) if ((x.name === y.name) !== (x.label === y.label)) ok = false;
  // the chorus must be named when it comes back (a chorus heard once cannot be told from a verse)
  const chorus = got.filter((g) => g.name === 'chorus').length >= 2 ? got.find((g) => g.name === 'chorus') : undefined;
  const chorusOk = !chorus || a.chorus_label === chorus.label;
  return { ok: ok && chorusOk, text: `${got.map((g) => g.label).join('')}${chorus ? (chorusOk ? ' ch✓' : ` ch✗(${a.chorus_label ?? '-'})`) : ''}` };
}

async function musicTempoBeats(file: string): Promise<number[]> {
  // music-tempo (MIT) wants the whole signal at once, as a plain array
  const { default: MusicTempo } = await import('music-tempo');
  const parts: Float32Array[] = [];
  for await (const c of decodePcm(ffmpeg, file, { sampleRate: 44100 })) parts.push(c);
  const all = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  try {
    return new MusicTempo(all).beats;
  } catch {
    return []; // it throws "Tempo extraction failed" on some songs: scored as no beats
  }
}

const rows: Row[] = [];
try {
  for (const spec of BENCH_SONGS) {
    if ((only && spec.id !== only) || speedOnly) continue;
    const { file, truth } = await songFile(spec);
    const a = await analyseFile(file, truth.durationS);
    const beatF = fMeasure(a.beats, truth.beats).f;
    const downF = fMeasure(a.downbeats, truth.downbeats).f;
    const barAt = (t: number): number => {
      const sec = spec.sections.find((_, i) => truth.sections[i]!.start <= t + 1e-6 && t < truth.sections[i]!.end + 1e-6) ?? spec.sections[0]!;
      return (4 * 60) / sec.bpm;
    };
    const bh = boundaryHits(a.sections.slice(1).map((s) => s.start_s), truth.boundaries, barAt);
    const lc = labelCheck(a, truth);
    const row: Row = {
      song: spec.id,
      what: spec.what,
      bpm: a.tempo_bpm === null ? 'none' : a.tempo_bpm.toFixed(1),
      beatF,
      downF,
      bounds: `${bh.found}/${bh.total}${bh.extra ? ` +${bh.extra}` : ''}`,
      boundsOk: bh.total - bh.found <= 1,
      labels: lc.text,
      labelsOk: lc.ok,
    };
    if (compare) row.mtF = fMeasure(await musicTempoBeats(file), truth.beats).f;
    rows.push(row);
    if (process.env['BENCH_DEBUG']) console.error(spec.id, JSON.stringify({ notes: a.notes, sections: a.sections.map((s) => `${s.start_s.toFixed(1)}-${s.end_s.toFixed(1)}:${s.label}`), truth: truth.boundaries.map((b) => b.toFixed(1)) }));
  }
  if (speedOnly) {
    await speed();
    process.exit(0);
  }
  const head = ['song', 'tempo', 'beat F', 'downbeat F', 'boundaries', 'labels', ...(compare ? ['music-tempo beat F'] : [])];
  const lines = rows.map((r) => [r.song, r.bpm, r.beatF.toFixed(3), r.downF.toFixed(3), r.bounds, `${r.labelsOk ? 'yes' : 'NO'} ${r.labels}`, ...(compare ? [r.mtF!.toFixed(3)] : [])]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(fmt(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const l of lines) console.log(fmt(l));
  const avgDown = rows.reduce((s, r) => s + r.downF, 0) / Math.max(1, rows.length);
  const minBeat = Math.min(...rows.map((r) => r.beatF));
  console.log(`\nbeat F min ${minBeat.toFixed(3)} (target ≥ 0.90) · downbeat F mean ${avgDown.toFixed(3)} (target ≥ 0.70) · boundaries ok on ${rows.filter((r) => r.boundsOk).length}/${rows.length} songs · labels ok on ${rows.filter((r) => r.labelsOk).length}/${rows.length}`);
  if (!only && !process.env['BENCH_SKIP_SPEED']) await speed();
} finally {
  await rm(work, { recursive: true, force: true });
}

/** Time for a 3-minute song, RSS for a 10-minute one, and a 30-minute one (bad input: very long), each in a fresh process. */
async function speed(): Promise<void> {
  const { file } = await songFile(BENCH_SONGS.find((s) => s.id === 'structured')!);
  const child = fileURLToPath(new URL('./support/analyse-child.ts', import.meta.url));
  for (const minutes of [3, 10, 30]) {
    const long = join(work, `long-${minutes}.mp3`);
    await runFfmpeg(ffmpeg, ['-y', '-stream_loop', '-1', '-i', file, '-t', String(minutes * 60), '-c', 'copy', long]);
    // GNU time (when installed) adds the CPU of ffmpeg, which node reaps, to the child's own
    const timed = existsSync('/usr/bin/time');
    const r = timed
      ? spawnSync('/usr/bin/time', ['-f', 'cpu_total_s=%U+%S', process.execPath, child, ffmpeg, long, String(minutes * 60)], { encoding: 'utf8' })
      : spawnSync(process.execPath, [child, ffmpeg, long, String(minutes * 60)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`analyse-child failed: ${r.stderr}`);
    const m = JSON.parse(r.stdout) as { wallS: number; cpuS: number; rssAddedMb: number; beats: number };
    const total = /cpu_total_s=([\d.]+)\+([\d.]+)/.exec(r.stderr);
    const totalCpu = total ? `, ${(Number(total[1]) + Number(total[2])).toFixed(2)} s CPU with ffmpeg` : '';
    console.log(`${minutes}-minute song: decode + analysis ${m.wallS.toFixed(2)} s wall (${m.cpuS.toFixed(2)} s CPU in node${totalCpu}), RSS added ${m.rssAddedMb.toFixed(1)} MB, ${m.beats} beats${minutes === 3 ? ' (target ≤ 2 s)' : minutes === 10 ? ' (target ≤ 100 MB)' : ''}`);
  }
  const load = (await import('node:os')).loadavg()[0]!.toFixed(1);
  console.log(`(machine load average ${load} on ${(await import('node:os')).cpus().length} cores while measuring)`);
}
