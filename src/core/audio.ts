/**
 * Attach a song to a project: check the file, probe it (rejecting what has no audio),
 * copy it into the blob store under a content-addressed key, then record it on the project.
 * The row changes only after the file is safely stored; a failure leaves the project as it was.
 */
import { basename, extname } from 'node:path';
import type { Blobs } from '../blobs/port.ts';
import { projectKey, projectPrefix } from '../blobs/keys.ts';
import { contentTypeFor } from '../blobs/content-type.ts';
import { keyInScope } from '../blobs/scoped.ts';
import type { AudioProbe, MediaTools } from '../media/port.ts';
import type { Store } from '../store/port.ts';
import { checkInputFile, sha256File } from './files.ts';
import type { Project } from './model.ts';

export interface AudioDeps {
  store: Store;
  blobs: Blobs;
  media: MediaTools;
}

const AUDIO_EXTENSIONS = new Set(['.mp3', '.wav', '.flac', '.m4a', '.aac', '.ogg', '.oga', '.opus', '.webm', '.mp4']);

/** `probe`: the file's probe when the caller already has it (each file is probed once). */
export async function attachAudio(deps: AudioDeps, project: Project, filePath: string, probe?: AudioProbe): Promise<Project> {
  const file = await checkInputFile(filePath, 'audio file');
  probe ??= await deps.media.probeAudio(file.path);
  const digest = await sha256File(file.path);
  const rawExt = extname(file.path).toLowerCase();
  const ext = AUDIO_EXTENSIONS.has(rawExt) ? rawExt : `.${probe.formatName.split(',')[0]}`;
  const key = projectKey(project.id, 'audio', `song-${digest.slice(0, 16)}${ext}`);
  await deps.blobs.putFile(key, file.path, { contentType: contentTypeFor(`x${ext}`) });
  const previous = project.audio_path;
  const updated = await deps.store.update('projects', project.id, {
    audio_path: key,
    audio_filename: basename(file.path),
    audio_format: probe.formatName,
    audio_codec: probe.codec,
    audio_duration_s: probe.durationS,
    audio_sample_rate: probe.sampleRate,
    audio_channels: probe.channels,
    audio_size_bytes: probe.sizeBytes,
    status: project.status === 'created' ? 'uploaded' : project.status,
  });
  // the old key comes from the row, which a user (or an imported folder) may have written: only
  // a file inside this project is ever deleted, never one that row merely pointed at
  if (previous && previous !== key && keyInScope({ projectId: project.id, artistIds: new Set() }, previous)) await deps.blobs.remove([previous]).catch(() => undefined);
  return updated;
}

/**
 * A new project with its song. The file is checked and probed before the row exists, and a
 * failure while storing it removes the row again: no half-made project.
 */
export async function createProjectWithSong(deps: AudioDeps, fields: { name: string; style: string | null; fps?: number }, filePath: string, probe?: AudioProbe): Promise<Project> {
  await checkInputFile(filePath, 'audio file');
  probe ??= await deps.media.probeAudio(filePath);
  const project = await deps.store.insert('projects', fields);
  try {
    return await attachAudio(deps, project, filePath, probe);
  } catch (error) {
    await deps.store.delete('projects', project.id).catch(() => undefined);
    throw error;
  }
}

/** What a new song makes obsolete: how much of the project was built on the old one. */
export async function workOnSong(store: Store, projectId: string): Promise<{ scenes: number; takes: number }> {
  const [scenes, images, clips] = await Promise.all([
    store.count('selected_scenes', { project_id: projectId }),
    store.count('generated_images', { project_id: projectId }),
    store.count('video_clips', { project_id: projectId }),
  ]);
  return { scenes, takes: images + clips };
}

/**
 * After the song is replaced: scenes, prompts, takes and the transcript described the old
 * song, so they go (rows and files); final videos stay as history.
 */
export async function resetForNewSong(deps: Pick<AudioDeps, 'store' | 'blobs'>, project: Project): Promise<Project> {
  await deps.store.deleteWhere('selected_scenes', { project_id: project.id });
  await removeTakeFiles(deps.blobs, project.id);
  return deps.store.update('projects', project.id, { transcript: null, transcript_path: null, status: 'uploaded' });
}

/** Remove the image and clip files of a project (their rows are gone with their scenes). */
export async function removeTakeFiles(blobs: Blobs, projectId: string): Promise<void> {
  for (const folder of ['images', 'clips', 'scenes', 'prompts'] as const) {
    await blobs.removePrefix(`${projectPrefix(projectId)}${folder}/`).catch(() => 0);
  }
}
