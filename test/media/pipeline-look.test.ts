/**
 * The offline look through the real pipeline steps (local store, local providers, real ffmpeg):
 * clips carry their captions and say so (finish_key); a render after the caption style changed
 * re-finishes the clips and still joins by stream copy; the preview animatic is 360p to the
 * frame; the storyboard shows take, review and note above a timeline strip.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openLocalBlobs } from '../../src/blobs/local/local-blobs.ts';
import type { AudioAnalysis } from '../../src/core/analysis/model.ts';
import { generateClips } from '../../src/core/pipeline/clips-step.ts';
import type { PipelineDeps } from '../../src/core/pipeline/deps.ts';
import { generateImages } from '../../src/core/pipeline/images-step.ts';
import { renderPreview } from '../../src/core/pipeline/preview-step.ts';
import { renderFinal } from '../../src/core/pipeline/render-step.ts';
import { noopStep } from '../../src/core/pipeline/step.ts';
import { storyboardSheet } from '../../src/core/pipeline/storyboard.ts';
import { createFfmpegMedia } from '../../src/media/ffmpeg-media.ts';
import { synthesizeSong } from '../../src/media/synth.ts';
import { createLocalClipGenerator } from '../../src/providers/local/local-clips.ts';
import { createLocalDirector } from '../../src/providers/local/local-director.ts';
import { createLocalImageGenerator } from '../../src/providers/local/local-images.ts';
import type { Providers } from '../../src/providers/ports.ts';
import { openLocalStore } from '../../src/store/local/local-store.ts';
import { bins, run } from './helpers.ts';

const media = createFfmpegMedia(bins);

test('captions in clips, re-finished on a style change, preview and storyboard', async (t) => {
  const home = await mkdtemp(join(tmpdir(), 'omvee-look-'));
  const store = await openLocalStore({ home });
  t.after(async () => {
    await store.close();
    await rm(home, { recursive: true, force: true });
  });
  const blobs = openLocalBlobs({ root: join(home, 'project-files') });
  // the director writes each clip's motion for its still (core/pipeline/clip-motion.ts)
  const providers = { director: createLocalDirector(), images: createLocalImageGenerator(media), clips: createLocalClipGenerator(media) } as unknown as Providers;
  const deps: PipelineDeps = { store, blobs, media, providers, workDir: join(home, 'work'), log: () => undefined };

  const songFile = join(home, 'song.mp3');
  await synthesizeSong(bins.ffmpeg, songFile, 6, { sampleRate: 22050 });
  const transcript = { source: 'lrc', segments: [{ start: 0.5, end: 2.5, text: 'hold the line' }, { start: 2.6, end: 5.5, text: 'every window gold' }] };
  let project = await store.insert('projects', { name: 'look', audio_duration_s: 6, audio_filename: 'song.mp3', width: 320, height: 568, fps: 25, transcript, status: 'scenes_selected' });
  // the song inside the project's own folder (steps refuse keys outside it)
  const songKey = `projects/${project.id}/audio/song.mp3`;
  await blobs.putFile(songKey, songFile, { contentType: 'audio/mpeg' });
  project = await store.update('projects', project.id, { audio_path: songKey });
  const scenes = await store.replaceScenes(project.id, [
    { project_id: project.id, order_idx: 0, start_time_s: 0, end_time_s: 3, lyric_excerpt: 'hold the line' },
    { project_id: project.id, order_idx: 1, start_time_s: 3, end_time_s: 6, lyric_excerpt: 'every window gold' },
  ]);
  for (const s of scenes) await store.insert('scene_prompts', { project_id: project.id, scene_id: s.id, image_prompt: 'city at night', color_palette: ['#101830', '#283860', '#4070a0', '#80b0d0', '#f0d080'], motion_prompt: 'slow zoom in' });
  const analysis = { version: 1, audio_sha256: 'x', duration_s: 6, tempo_bpm: 100, beats: [0, 0.6, 1.2, 1.8, 2.4, 3, 3.6, 4.2, 4.8, 5.4], downbeats: [0, 2.4, 4.8], meter: 4, sections: [{ start_s: 0, end_s: 3, label: 'A', energy: 0.4 }, { start_s: 3, end_s: 6, label: 'B', energy: 0.8 }], chorus_label: 'B', energy: { hop_s: 0.5, values: Array.from({ length: 13 }, (_, i) => (i < 6 ? 0.3 : 0.8)) }, vocal_activity: null, notes: [] } satisfies AudioAnalysis;

  await generateImages(deps, project, { analysis }, noopStep());
  const { generated } = await generateClips(deps, project, { analysis }, noopStep());
  assert.equal(generated.length, 2);
  assert.ok(generated.every((c) => /^[0-9a-f]{64}$/.test(c.finish_key ?? '')), 'offline clips carry karaoke captions by default and record it');

  const first = await renderFinal(deps, project, { autoApprove: true, lyricsOverlay: false, analysis }, noopStep());
  assert.equal(first.final.frame_count, 150);
  // the cut decodes to exactly the clips' frames: nothing was re-encoded (a re-encode changes pixels)
  const frameHashes = async (file: string): Promise<string[]> =>
    (await run(bins.ffmpeg, ['-v', 'error', '-i', file, '-map', '0:v', '-f', 'framemd5', '-'], { maxBuffer: 1 << 24 })).stdout.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(',').pop()!.trim());
  const ordered = [...generated].sort((x, y) => scenes.findIndex((s) => s.id === x.scene_id) - scenes.findIndex((s) => s.id === y.scene_id));
  const clipHashes = (await Promise.all(ordered.map((c) => frameHashes(blobs.localPath(c.clip_path!)!)))).flat();
  assert.equal(clipHashes.length, 150);
  assert.deepEqual(await frameHashes(first.localPath!), clipHashes);

  // the style changes: the render re-finishes both clips (from their stills) without new takes
  project = await store.update('projects', project.id, { caption_style: 'none' });
  const second = await renderFinal(deps, project, { autoApprove: true, lyricsOverlay: false, analysis }, noopStep());
  assert.equal(second.final.frame_count, 150);
  assert.equal(await store.count('video_clips', { project_id: project.id }), 2, 'no new takes');
  assert.notDeepEqual(await frameHashes(second.localPath!), clipHashes, 'the clips were re-finished without captions');
  const frame = async (file: string): Promise<Buffer> => (await run(bins.ffmpeg, ['-v', 'error', '-ss', '1.5', '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], { encoding: 'buffer', maxBuffer: 1 << 22 })).stdout;
  const [a, b] = [await frame(first.localPath!), await frame(second.localPath!)];
  let differ = 0;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i]! - b[i]!) > 40) differ += 1;
  assert.ok(differ > 300, `the caption is gone (${differ} pixels changed)`);

  // preview: 360p of the project's shape (320x568 is already under 360p: kept), every frame
  const preview = await renderPreview(deps, { ...project, caption_style: 'line' }, { analysis, shortSide: 180 }, noopStep());
  assert.deepEqual([preview.width, preview.height, preview.frameCount], [180, 320, 150]);
  const pp = await media.probeVideo(blobs.localPath(preview.key)!);
  assert.deepEqual([pp.video?.width, pp.video?.height, pp.video?.frameCount, pp.audio !== null], [180, 320, 150, true]);

  // storyboard: one tile per scene with take/review/note, a timeline strip on top
  await store.insert('user_approvals', { project_id: project.id, scene_id: scenes[1]!.id, clip_id: generated.find((c) => c.scene_id === scenes[1]!.id)!.id, decision: 'rejected', note: 'too dark, more gold' });
  const sheet = join(home, 'board.png');
  const board = await storyboardSheet(deps, project, { columns: 2, outPath: sheet, analysis });
  assert.equal(board.scenes, 2);
  const png = await readFile(sheet);
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
  assert.ok(w > 2 * 130 && h > 60 + 230, `sheet ${w}x${h}: two portrait tiles under a 60 px strip`);
  if (process.env['OMVEE_KEEP_LOOK']) await rm(process.env['OMVEE_KEEP_LOOK'], { force: true }).then(() => import('node:fs/promises').then((fs) => fs.copyFile(sheet, process.env['OMVEE_KEEP_LOOK']!)));
});
