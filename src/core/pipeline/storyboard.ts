/**
 * The storyboard sheet of a project: a tile per scene (its chosen still) with the scene number,
 * time range and lyric, the take number and review state of what the scene goes into the cut
 * with (its latest clip take, else its still) and the reviewer's note; above the tiles the
 * song's timeline — sections (repeats share a colour), beats, downbeats — with the scene cuts.
 */
import type { ContactSheetItem, ContactSheetTimeline } from '../../media/port.ts';
import type { AudioAnalysis } from '../analysis/model.ts';
import { OmveeError } from '../errors.ts';
import type { Project } from '../model.ts';
import { materialize, type PipelineDeps } from './deps.ts';
import { chosenImage } from './preview-step.ts';
import { listScenes } from './scenes-step.ts';
import { clipReviews, latestCompleted, sceneNumber } from './takes.ts';
import { analysisOf } from '../analysis/stored.ts';

export interface StoryboardOptions {
  columns: number;
  outPath: string;
  analysis?: AudioAnalysis | null;
}

const clock = (s: number): string => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;

export async function storyboardSheet(deps: Pick<PipelineDeps, 'store' | 'blobs' | 'media' | 'workDir'>, project: Project, options: StoryboardOptions): Promise<{ path: string; scenes: number; missing: number }> {
  const scenes = await listScenes(deps, project.id);
  const analysis = analysisOf(project, options.analysis);
  if (scenes.length === 0) throw new OmveeError('invalid_input', `project ${project.name} has no scenes yet`, { hint: `run: omvee scenes select ${project.id}` });
  const images = await deps.store.list('generated_images', { where: { project_id: project.id, status: 'completed' } });
  const clips = await deps.store.list('video_clips', { where: { project_id: project.id, status: 'completed' } });
  const approvals = await deps.store.list('user_approvals', { where: { project_id: project.id } });
  const reviews = clipReviews(approvals);
  const items: ContactSheetItem[] = [];
  for (const scene of scenes) {
    const image = chosenImage(scene, images, approvals, project) ?? chosenImage(scene, images, approvals);
    if (!image?.image_path) continue;
    const clip = latestCompleted(clips.filter((c) => c.scene_id === scene.id));
    const review = clip ? reviews.get(clip.id) : [...approvals].filter((a) => a.image_id === image.id).sort((a, b) => (a.created_at < b.created_at ? 1 : -1))[0];
    const lyric = (scene.lyric_excerpt ?? '').replace(/\s+/g, ' ').slice(0, 60);
    items.push({
      imagePath: await materialize(deps, image.image_path),
      caption: `${sceneNumber(scene)}. ${clock(scene.start_time_s)}–${clock(scene.end_time_s)} ${lyric}`,
      take: clip?.take ?? image.take,
      review: review ? (review.decision === 'approved' ? 'approved' : 'rejected') : 'unreviewed',
      note: review?.note ?? null,
    });
  }
  if (items.length === 0) throw new OmveeError('invalid_input', 'no scene has an image yet', { hint: `run: omvee images generate ${project.id}` });
  const durationS = project.audio_duration_s ?? scenes[scenes.length - 1]!.end_time_s;
  const timeline: ContactSheetTimeline = {
    durationS,
    sections: analysis?.sections ?? [],
    beats: analysis?.beats ?? [],
    downbeats: analysis?.downbeats ?? [],
    cuts: scenes.map((s) => ({ at: s.start_time_s, scene: sceneNumber(s) })),
  };
  await deps.media.contactSheet(items, options.outPath, options.columns, { frame: { width: project.width, height: project.height }, timeline });
  return { path: options.outPath, scenes: items.length, missing: scenes.length - items.length };
}
