import { OmveeError } from '../core/errors.ts';

/** Storage layout per project: projects/{project_id}/{audio,transcripts,...}/file */
export const BUCKET = 'project-files';

export const BLOB_FOLDERS = ['audio', 'transcripts', 'scenes', 'prompts', 'images', 'clips', 'final'] as const;
export type BlobFolder = (typeof BLOB_FOLDERS)[number];

export function projectPrefix(projectId: string): string {
  return `projects/${projectId}/`;
}

export function projectKey(projectId: string, folder: BlobFolder, fileName: string): string {
  if (fileName.includes('/') || fileName.includes('\\') || fileName === '..' || fileName === '.') {
    throw new Error(`invalid blob file name: ${fileName}`);
  }
  return `${projectPrefix(projectId)}${folder}/${fileName}`;
}

export function artistKey(artistId: string, fileName: string): string {
  return `artists/${artistId}/${fileName}`;
}

const KEY_HINT = 'blob keys are relative paths like projects/<id>/audio/song.mp3, without "..", "." or empty parts';

/**
 * Reject keys that could escape the bucket or mean different things to different stores: not a
 * string, empty, absolute, with "..", "." or empty parts, a backslash (a separator on Windows)
 * or a NUL byte. Throws OmveeError invalid_input.
 */
export function assertSafeKey(key: unknown): asserts key is string {
  if (typeof key !== 'string') throw new OmveeError('invalid_input', `unsafe blob key: ${String(key)}`, { hint: KEY_HINT });
  if (
    key.length === 0 ||
    key.startsWith('/') ||
    key.includes('\\') ||
    key.includes('\0') ||
    key.split('/').some((p) => p === '..' || p === '.' || p === '')
  ) {
    throw new OmveeError('invalid_input', `unsafe blob key: ${JSON.stringify(key)}`, { hint: KEY_HINT });
  }
}
