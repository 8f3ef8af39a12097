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

/** Reject keys that could escape the bucket. */
export function assertSafeKey(key: string): void {
  if (key.length === 0 || key.startsWith('/') || key.split('/').some((p) => p === '..' || p === '.' || p === '')) {
    throw new Error(`unsafe blob key: ${key}`);
  }
}
