/**
 * The Blob port: files (songs, transcripts, images, clips, final videos) in the bucket
 * `project-files`. Keys are bucket-relative, e.g. `projects/{project_id}/audio/song.mp3`
 * (see keys.ts). Adapters: src/blobs/local (a folder) and src/blobs/supabase (Storage).
 *
 * Writes are atomic: a reader never sees a half-written object under its key.
 */
export interface BlobInfo {
  key: string;
  size: number;
  contentType: string | null;
  updatedAt: string | null;
}

export interface PutOptions {
  contentType?: string;
  /** default true; false refuses to overwrite an existing object (conflict) */
  upsert?: boolean;
  /** called while a large upload is sent (bytes sent so far, total) */
  onProgress?: (sent: number, total: number) => void;
  signal?: AbortSignal;
}

/** The largest object the backend takes and where that figure comes from. */
export interface UploadLimit {
  bytes: number;
  source: 'bucket' | 'setting' | 'default';
}

export interface Blobs {
  readonly kind: 'local' | 'supabase';
  readonly bucket: string;
  readonly location: string;

  put(key: string, data: Uint8Array, options?: PutOptions): Promise<BlobInfo>;
  /** upload a local file (streamed where the adapter can) */
  putFile(key: string, localPath: string, options?: PutOptions): Promise<BlobInfo>;
  get(key: string): Promise<Buffer>;
  /** download to a local path (atomically: tmp file + rename) */
  getToFile(key: string, localPath: string): Promise<void>;
  stat(key: string): Promise<BlobInfo | null>;
  exists(key: string): Promise<boolean>;
  /** every object under a prefix (recursive), sorted by key */
  list(prefix: string): Promise<BlobInfo[]>;
  remove(keys: readonly string[]): Promise<void>;
  /** remove everything under a prefix; returns how many objects were removed */
  removePrefix(prefix: string): Promise<number>;
  /** a URL that lets its holder read the object for `expiresInSeconds` */
  signedUrl(key: string, expiresInSeconds: number): Promise<string>;
  /**
   * A path on this machine where the object can be read directly (local adapter), or null
   * when the object must be downloaded first (remote adapters).
   */
  localPath(key: string): string | null;
  /** the largest object an upload may be (remote adapters); null when there is no known limit */
  uploadLimit?(): Promise<UploadLimit | null>;
}
