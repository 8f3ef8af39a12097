/**
 * Step 1 — the transcript. Either an imported lyrics file (LRC/SRT/VTT/Whisper JSON/plain
 * text, stored first as the project's source file) or the configured transcriber. The result
 * is kept on the project (transcript column) and as transcripts/transcript.json.
 */
import { extname } from 'node:path';
import { contentTypeFor } from '../../blobs/content-type.ts';
import { projectKey } from '../../blobs/keys.ts';
import type { Blobs } from '../../blobs/port.ts';
import { assertKeyInScope, type KeyScope } from '../../blobs/scoped.ts';
import { OmveeError } from '../errors.ts';
import { checkLyricsSize, parseLyrics, type LyricsFormat } from '../lyrics/index.ts';
import type { Project, Transcript } from '../model.ts';
import type { PipelineDeps } from './deps.ts';
import { materialize } from './deps.ts';
import { scopeToProject } from './scope.ts';
import type { StepContext } from './step.ts';

export interface TranscriptOutcome {
  transcript: Transcript;
  warnings: string[];
  model: string;
  costUsd: number;
}

/** The project's song; with `scope`, its key must lie inside it (the row is user-writable). */
export function requireAudio(project: Project, scope?: KeyScope): { audioPath: string; durationS: number } {
  if (!project.audio_path || !project.audio_duration_s) {
    throw new OmveeError('invalid_input', `project ${project.name} has no song yet`, { hint: `upload one: omvee upload audio ${project.id} song.mp3` });
  }
  if (scope) assertKeyInScope(scope, project.audio_path, 'projects.audio_path');
  return { audioPath: project.audio_path, durationS: project.audio_duration_s };
}

/**
 * Keep the lyrics file a person gave as the project's transcript source
 * (transcripts/source.<ext>), so any worker can import it; returns its key.
 */
export async function storeLyricsSource(blobs: Blobs, projectId: string, fileName: string, bytes: Uint8Array): Promise<string> {
  checkLyricsSize(bytes.byteLength, `"${fileName}"`);
  const ext = extname(fileName).toLowerCase().replace(/[^a-z0-9.]/g, '') || '.txt';
  const key = projectKey(projectId, 'transcripts', `source${ext}`);
  await blobs.put(key, bytes, { contentType: contentTypeFor(fileName) });
  return key;
}

/** Parse an already stored lyrics file and save the transcript on the project. */
export async function importTranscript(deps: PipelineDeps, project: Project, sourceKey: string, fileName: string, format: LyricsFormat | undefined): Promise<TranscriptOutcome> {
  const scoped = await scopeToProject(deps, project);
  deps = scoped.deps;
  // the key comes from the job's payload, which the job's owner wrote
  assertKeyInScope(scoped.scope, sourceKey, 'payload.source_key');
  // a stored source may predate the limits or have been written by hand: its size is checked first
  const info = await deps.blobs.stat(sourceKey);
  if (info) checkLyricsSize(info.size, `"${fileName}"`);
  const bytes = await deps.blobs.get(sourceKey);
  const { transcript, warnings } = parseLyrics(bytes, { durationS: project.audio_duration_s, fileName, ...(format ? { format } : {}) });
  await saveTranscript(deps, project, transcript);
  return { transcript, warnings, model: `import:${transcript.source}`, costUsd: 0 };
}

/** Transcribe the project's song with the configured transcriber. */
export async function transcribeAudio(deps: PipelineDeps, project: Project, step: StepContext, language?: string): Promise<TranscriptOutcome> {
  const scoped = await scopeToProject(deps, project);
  deps = scoped.deps;
  const { audioPath, durationS } = requireAudio(project, scoped.scope);
  const local = await materialize(deps, audioPath);
  step.progress(5, `transcribing with ${deps.providers.transcriber.name}`);
  const result = await deps.providers.transcriber.transcribe(
    { audioPath: local, durationS, ...(language ? { language } : {}) },
    { signal: step.signal, log: deps.note ?? deps.log },
  );
  const warnings = [...(result.transcript.warnings ?? [])];
  const suspect = result.transcript.segments.filter((s) => s.suspect).length;
  if (suspect > 0) warnings.push(`${suspect} segment(s) look unreliable and are flagged for review (omvee transcript show)`);
  await saveTranscript(deps, project, result.transcript);
  return { transcript: result.transcript, warnings, model: result.model, costUsd: result.costUsd };
}

export async function saveTranscript(deps: PipelineDeps, project: Project, transcript: Transcript): Promise<Project> {
  const key = projectKey(project.id, 'transcripts', 'transcript.json');
  await deps.blobs.put(key, Buffer.from(JSON.stringify(transcript, null, 2)), { contentType: 'application/json' });
  const advance = project.status === 'created' || project.status === 'uploaded';
  return deps.store.update('projects', project.id, { transcript, transcript_path: key, ...(advance ? { status: 'transcribed' as const } : {}) });
}
