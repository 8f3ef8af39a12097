/**
 * The Storage half of the test double: the `/storage/v1/...` routes storage-js v2 calls.
 * Object rows live in storage.objects (so the project's storage policies decide who may read,
 * write or delete what, evaluated as the request's role); the bytes live in memory.
 *
 * Errors are answered the way supabase/storage (storage-api) answers them, read from its source:
 *   - src/http/error-handler.ts: a handled (renderable) error is sent with HTTP 400, or 500 when
 *     its own status is 500 (`userStatusCode`), and the logical status goes in the BODY:
 *     `{statusCode: "404", code: "NoSuchKey", error: "not_found", message: "Object not found"}`
 *     (`error` is the error's legacy name, else its code);
 *   - src/internal/errors/codes.ts: NoSuchKey (404, "not_found", "Object not found"),
 *     NoSuchBucket (404, "Bucket not found"), AccessDenied (403, "Unauthorized"),
 *     ResourceAlreadyExists (409, "Duplicate", "The resource already exists"),
 *     EntityTooLarge (413, "Payload too large", "The object exceeded the maximum allowed size"),
 *     InvalidJWT (400);
 *   - src/storage/database/errors.ts: SQLSTATE 42501 → AccessDenied "new row violates row-level
 *     security policy", 23505 → ResourceAlreadyExists;
 *   - src/http/plugins/jwt.ts: a bearer token that fails verification → AccessDenied with the
 *     verifier's (jose's) message, e.g. `"exp" claim timestamp check failed`;
 *   - src/storage/limits.ts getFileSizeLimit: the limit is the bucket's file_size_limit capped by
 *     the project's global upload limit (50 MB on the free plan).
 * GET /bucket/{id} reads storage.buckets AS THE CALLER (row level security applies, so a bucket
 * without a select policy is "not found" for a signed-in user, as on Supabase).
 */
import type { DbRole, DoubleDatabase } from './database.ts';
import { signJwt, verifyJwt, type JwtClaims, type JwtFailure } from './jwt.ts';

export interface StorageRequest {
  method: string;
  /** path below /storage/v1/, decoded, e.g. "object/project-files/projects/x/a.png" */
  route: string;
  params: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: Buffer;
}

export interface StorageResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

/** Supabase's default per-object upload limit (free plan). */
export const DEFAULT_FILE_SIZE_LIMIT = 50 * 1024 * 1024;

export class StorageFailure extends Error {
  readonly status: number;
  readonly error: string;
  readonly code: string | undefined;
  constructor(status: number, error: string, message: string, code?: string) {
    super(message);
    this.status = status;
    this.error = error;
    this.code = code;
  }
}

const notFound = (): StorageFailure => new StorageFailure(404, 'not_found', 'Object not found', 'NoSuchKey');
const bucketNotFound = (): StorageFailure => new StorageFailure(404, 'Bucket not found', 'Bucket not found', 'NoSuchBucket');
const ROLLBACK = Symbol('rollback');

function json(status: number, value: unknown): StorageResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(value) };
}

/** storage-api's error handler: HTTP 400 (500 stays 500), the logical status in the body */
export function renderFailure(failure: StorageFailure): StorageResponse {
  return json(failure.status === 500 ? 500 : 400, {
    statusCode: String(failure.status),
    code: failure.code ?? failure.error,
    error: failure.error || failure.code,
    message: failure.message,
  });
}

/** what jose (storage-api's verifier) says about a token it refuses */
const JOSE_MESSAGES: Record<JwtFailure, string> = {
  expired: '"exp" claim timestamp check failed',
  signature: 'signature verification failed',
  malformed: 'Invalid Compact JWS',
};

/** src/http/plugins/jwt.ts: ERRORS.AccessDenied(err.message) */
export function jwtFailure(kind: JwtFailure): StorageFailure {
  return new StorageFailure(403, 'Unauthorized', JOSE_MESSAGES[kind], 'AccessDenied');
}

function mapDbError(error: unknown): StorageFailure | null {
  const code = (error as { code?: string }).code;
  if (code === '42501') return new StorageFailure(403, 'Unauthorized', 'new row violates row-level security policy', 'AccessDenied');
  if (code === '23505') return new StorageFailure(409, 'Duplicate', 'The resource already exists', 'ResourceAlreadyExists');
  return null;
}

interface StoredBytes {
  data: Buffer;
  contentType: string;
}

export class StorageHandler {
  readonly #db: DoubleDatabase;
  readonly #secret: string;
  readonly #bytes = new Map<string, StoredBytes>();
  /** the project's global upload limit (Project Settings → Storage) */
  fileSizeLimit = DEFAULT_FILE_SIZE_LIMIT;
  /** answer list pages of at most this many entries (null: as many as asked, like storage-api) */
  listCap: number | null = null;

  constructor(db: DoubleDatabase, secret: string) {
    this.#db = db;
    this.#secret = secret;
  }

  /** routes that carry their own token and need no API key (signed URLs) */
  isTokenRoute(method: string, route: string): boolean {
    return (method === 'GET' && route.startsWith('object/sign/')) || (method === 'PUT' && route.startsWith('object/upload/sign/'));
  }

  async handle(req: StorageRequest, role: DbRole, claims: JwtClaims): Promise<StorageResponse> {
    try {
      return await this.#route(req, role, claims);
    } catch (error) {
      const failure = error instanceof StorageFailure ? error : mapDbError(error);
      if (!failure) throw error;
      return renderFailure(failure);
    }
  }

  async #route(req: StorageRequest, role: DbRole, claims: JwtClaims): Promise<StorageResponse> {
    const { method, route } = req;
    const split = (rest: string): [string, string] => {
      const slash = rest.indexOf('/');
      return slash < 0 ? [rest, ''] : [rest.slice(0, slash), rest.slice(slash + 1)];
    };
    if (route.startsWith('bucket/') && method === 'GET') return this.#getBucket(route.slice(7), role, claims);
    if (route.startsWith('object/list/') && method === 'POST') return this.#list(route.slice(12), req, role, claims);
    if (route.startsWith('object/upload/sign/')) {
      const [bucket, name] = split(route.slice(19));
      if (method === 'POST') return this.#createUploadUrl(bucket, name, req, role, claims);
      if (method === 'PUT') return this.#uploadWithToken(bucket, name, req);
    }
    if (route.startsWith('object/sign/')) {
      const [bucket, name] = split(route.slice(12));
      if (method === 'POST') return this.#createSignedUrl(bucket, name, req, role, claims);
      if (method === 'GET') return this.#downloadWithToken(bucket, name, req);
    }
    if (route.startsWith('object/info/') && method === 'GET') {
      const [bucket, name] = split(route.slice(12));
      return this.#info(bucket, name, role, claims);
    }
    if (route.startsWith('object/')) {
      const rest = route.startsWith('object/authenticated/') ? route.slice(21) : route.slice(7);
      const [bucket, name] = split(rest);
      if (method === 'DELETE' && name === '') return this.#remove(bucket, req, role, claims);
      if (method === 'GET' || method === 'HEAD') return this.#download(bucket, name, method, role, claims);
      if (method === 'POST' || method === 'PUT') {
        const upsert = method === 'PUT' || req.headers['x-upsert'] === 'true';
        return this.#upload(bucket, name, req, upsert, role, claims);
      }
    }
    // Fastify's own not-found answer (a real 404, not a rendered storage error)
    return json(404, { message: `Route ${method}:/storage/v1/${route} not found`, error: 'Not Found', statusCode: 404 });
  }

  async #assertBucket(bucket: string): Promise<void> {
    const res = await this.#db.asOwner((tx) => tx.query('select 1 from storage.buckets where id = $1', [bucket]));
    if (res.rows.length === 0) throw bucketNotFound();
  }

  async #getBucket(id: string, role: DbRole, claims: JwtClaims): Promise<StorageResponse> {
    const res = await this.#db.asRole(role, claims, (tx) =>
      tx.query<Record<string, unknown>>('select id, name, owner, public, file_size_limit, allowed_mime_types, created_at, updated_at from storage.buckets where id = $1', [id]),
    );
    const row = res.rows[0];
    if (!row) throw bucketNotFound();
    return json(200, { ...row, type: 'STANDARD', file_size_limit: row.file_size_limit === null ? null : Number(row.file_size_limit) });
  }

  /** the effective per-object limit of a bucket (limits.ts getFileSizeLimit) */
  async limitFor(bucket: string): Promise<number> {
    const res = await this.#db.asOwner((tx) => tx.query<{ limit: string | null }>('select file_size_limit::text as limit from storage.buckets where id = $1', [bucket]));
    if (res.rows.length === 0) throw bucketNotFound();
    const own = res.rows[0]!.limit === null ? null : Number(res.rows[0]!.limit);
    return own ? Math.min(own, this.fileSizeLimit) : this.fileSizeLimit;
  }

  /** Uploader.canUpload: try the insert (or upsert) as the caller and roll it back */
  async canUpload(bucket: string, name: string, upsert: boolean, role: DbRole, claims: JwtClaims): Promise<void> {
    await this.#assertBucket(bucket);
    await this.#db
      .asRole(role, claims, async (tx) => {
        await tx.query(
          `insert into storage.objects (bucket_id, name, owner) values ($1, $2, $3)
           ${upsert ? 'on conflict (bucket_id, name) do update set owner = excluded.owner, updated_at = now()' : ''}`,
          [bucket, name, typeof claims.sub === 'string' ? claims.sub : null],
        );
        throw ROLLBACK;
      })
      .catch((error: unknown) => {
        if (error === ROLLBACK) return;
        throw mapDbError(error) ?? error;
      });
  }

  /** Uploader.completeUpload for a finished resumable upload: the row as the caller, then the bytes */
  async completeUpload(bucket: string, name: string, data: Buffer, meta: { contentType: string; cacheControl: string }, upsert: boolean, role: DbRole, claims: JwtClaims): Promise<void> {
    const req: StorageRequest = { method: 'POST', route: '', params: new URLSearchParams(), headers: { 'content-type': meta.contentType, 'cache-control': meta.cacheControl }, body: data };
    try {
      await this.#store(bucket, name, req, upsert, role, claims, typeof claims.sub === 'string' ? claims.sub : null);
    } catch (error) {
      throw error instanceof StorageFailure ? error : (mapDbError(error) ?? error);
    }
  }

  async #upload(bucket: string, name: string, req: StorageRequest, upsert: boolean, role: DbRole, claims: JwtClaims): Promise<StorageResponse> {
    await this.#assertBucket(bucket);
    if ((req.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
      throw new StorageFailure(400, 'InvalidRequest', 'multipart uploads are not supported by this test double; send the raw body');
    }
    return this.#store(bucket, name, req, upsert, role, claims, typeof claims.sub === 'string' ? claims.sub : null);
  }

  async #store(bucket: string, name: string, req: StorageRequest, upsert: boolean, role: DbRole, claims: JwtClaims, owner: string | null): Promise<StorageResponse> {
    if (req.body.length > (await this.limitFor(bucket))) throw new StorageFailure(413, 'Payload too large', 'The object exceeded the maximum allowed size', 'EntityTooLarge');
    const contentType = req.headers['content-type'] ?? 'application/octet-stream';
    const metadata = { size: req.body.length, mimetype: contentType, cacheControl: req.headers['cache-control'] ?? 'no-cache', contentLength: req.body.length };
    const res = await this.#db.asRole(role, claims, (tx) =>
      tx.query<{ id: string }>(
        `insert into storage.objects (bucket_id, name, owner, metadata) values ($1, $2, $3, $4::jsonb)
         ${upsert ? 'on conflict (bucket_id, name) do update set metadata = excluded.metadata, owner = excluded.owner, updated_at = now()' : ''}
         returning id`,
        [bucket, name, owner, JSON.stringify(metadata)],
      ),
    );
    this.#bytes.set(`${bucket}/${name}`, { data: Buffer.from(req.body), contentType });
    return json(200, { Id: res.rows[0]?.id, Key: `${bucket}/${name}` });
  }

  async #visible(bucket: string, name: string, role: DbRole, claims: JwtClaims): Promise<Record<string, unknown>> {
    await this.#assertBucket(bucket);
    const res = await this.#db.asRole(role, claims, (tx) =>
      tx.query<Record<string, unknown>>('select id, name, bucket_id, metadata, created_at, updated_at from storage.objects where bucket_id = $1 and name = $2', [bucket, name]),
    );
    const row = res.rows[0];
    if (!row) throw notFound();
    return row;
  }

  #bytesOf(bucket: string, name: string): StoredBytes {
    const stored = this.#bytes.get(`${bucket}/${name}`);
    if (!stored) throw notFound();
    return stored;
  }

  async #download(bucket: string, name: string, method: string, role: DbRole, claims: JwtClaims): Promise<StorageResponse> {
    await this.#visible(bucket, name, role, claims);
    const stored = this.#bytesOf(bucket, name);
    return {
      status: 200,
      headers: { 'content-type': stored.contentType, 'content-length': String(stored.data.length) },
      body: method === 'HEAD' ? '' : stored.data,
    };
  }

  async #info(bucket: string, name: string, role: DbRole, claims: JwtClaims): Promise<StorageResponse> {
    const row = await this.#visible(bucket, name, role, claims);
    const meta = (row.metadata ?? {}) as { size?: number; mimetype?: string; cacheControl?: string };
    return json(200, {
      id: row.id,
      name,
      bucket_id: bucket,
      version: null,
      size: meta.size ?? 0,
      content_type: meta.mimetype ?? null,
      cache_control: meta.cacheControl ?? null,
      etag: null,
      metadata: row.metadata,
      created_at: row.created_at,
      last_modified: row.updated_at,
    });
  }

  /**
   * POST /object/list/{bucket}: storage-api's searchObjects runs the storage.search() SQL function
   * and never checks the bucket, so a missing bucket lists as [] (not an error).
   */
  async #list(bucket: string, req: StorageRequest, role: DbRole, claims: JwtClaims): Promise<StorageResponse> {
    const body = JSON.parse(req.body.toString('utf8') || '{}') as { prefix?: string; limit?: number; offset?: number; search?: string };
    const prefix = body.prefix ? body.prefix.replace(/\/*$/, '/') : '';
    const like = prefix.replace(/[\\%_]/g, (c) => `\\${c}`) + '%';
    const res = await this.#db.asRole(role, claims, (tx) =>
      tx.query<{ id: string; name: string; metadata: unknown; created_at: unknown; updated_at: unknown; last_accessed_at: unknown }>(
        'select id, name, metadata, created_at, updated_at, last_accessed_at from storage.objects where bucket_id = $1 and name like $2 order by name',
        [bucket, like],
      ),
    );
    const entries = new Map<string, Record<string, unknown>>();
    for (const row of res.rows) {
      const rest = row.name.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash >= 0) {
        const folder = rest.slice(0, slash);
        if (!entries.has(folder)) entries.set(folder, { name: folder, id: null, updated_at: null, created_at: null, last_accessed_at: null, metadata: null });
      } else {
        entries.set(rest, { name: rest, id: row.id, updated_at: row.updated_at, created_at: row.created_at, last_accessed_at: row.last_accessed_at, metadata: row.metadata });
      }
    }
    let items = [...entries.values()].sort((a, b) => (String(a.name) < String(b.name) ? -1 : 1));
    if (body.search) items = items.filter((i) => String(i.name).toLowerCase().startsWith(body.search!.toLowerCase()));
    const offset = body.offset ?? 0;
    const limit = Math.min(body.limit ?? 100, this.listCap ?? Number.POSITIVE_INFINITY);
    return json(200, items.slice(offset, offset + limit));
  }

  async #remove(bucket: string, req: StorageRequest, role: DbRole, claims: JwtClaims): Promise<StorageResponse> {
    await this.#assertBucket(bucket);
    const body = JSON.parse(req.body.toString('utf8') || '{}') as { prefixes?: string[] };
    const names = body.prefixes ?? [];
    const res = await this.#db.asRole(role, claims, (tx) =>
      tx.query<{ name: string; id: string; metadata: unknown }>(
        'delete from storage.objects where bucket_id = $1 and name = any($2::text[]) returning name, id, metadata, bucket_id',
        [bucket, names],
      ),
    );
    for (const row of res.rows) this.#bytes.delete(`${bucket}/${row.name}`);
    return json(200, res.rows);
  }

  #encode(name: string): string {
    return name.split('/').map(encodeURIComponent).join('/');
  }

  async #createSignedUrl(bucket: string, name: string, req: StorageRequest, role: DbRole, claims: JwtClaims): Promise<StorageResponse> {
    await this.#visible(bucket, name, role, claims);
    const body = JSON.parse(req.body.toString('utf8') || '{}') as { expiresIn?: number };
    const expiresIn = Number(body.expiresIn ?? 60);
    const token = signJwt({ url: `${bucket}/${name}`, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + expiresIn }, this.#secret);
    return json(200, { signedURL: `/object/sign/${bucket}/${this.#encode(name)}?token=${token}` });
  }

  #verifyToken(bucket: string, name: string, req: StorageRequest): JwtClaims {
    const token = req.params.get('token') ?? '';
    const verified = verifyJwt(token, this.#secret);
    if (!verified.ok) throw new StorageFailure(400, 'InvalidJWT', verified.reason, 'InvalidJWT');
    if (verified.claims.url !== `${bucket}/${name}`) throw new StorageFailure(400, 'InvalidSignature', 'The url do not match the signature', 'InvalidSignature');
    return verified.claims;
  }

  async #downloadWithToken(bucket: string, name: string, req: StorageRequest): Promise<StorageResponse> {
    this.#verifyToken(bucket, name, req);
    const stored = this.#bytesOf(bucket, name);
    return { status: 200, headers: { 'content-type': stored.contentType, 'content-length': String(stored.data.length) }, body: stored.data };
  }

  async #createUploadUrl(bucket: string, name: string, req: StorageRequest, role: DbRole, claims: JwtClaims): Promise<StorageResponse> {
    await this.#assertBucket(bucket);
    // would the caller be allowed to insert here? try it and roll back
    await this.#db
      .asRole(role, claims, async (tx) => {
        await tx.query(`insert into storage.objects (bucket_id, name) values ($1, $2) on conflict do nothing`, [bucket, name]);
        throw ROLLBACK;
      })
      .catch((error: unknown) => {
        if (error !== ROLLBACK) throw error;
      });
    const upsert = req.headers['x-upsert'] === 'true';
    const token = signJwt(
      { url: `${bucket}/${name}`, owner: claims.sub ?? null, upsert, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 7200 },
      this.#secret,
    );
    return json(200, { url: `/object/upload/sign/${bucket}/${this.#encode(name)}?token=${token}` });
  }

  async #uploadWithToken(bucket: string, name: string, req: StorageRequest): Promise<StorageResponse> {
    const claims = this.#verifyToken(bucket, name, req);
    await this.#assertBucket(bucket);
    const owner = typeof claims.owner === 'string' ? claims.owner : null;
    return this.#store(bucket, name, req, claims.upsert === true, 'service_role', { role: 'service_role' }, owner);
  }
}
