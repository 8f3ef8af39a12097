import { basename } from 'node:path';
import { z } from 'zod';
import type { InputOf } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { OmveeError } from '../../core/errors.ts';
import { printRecord } from '../../cli/output.ts';
import { projectKey } from '../../blobs/keys.ts';
import { projectFor } from '../resolve.ts';

/** how long Supabase Storage honours a signed upload URL */
const SIGNED_UPLOAD_TTL_SECONDS = 2 * 60 * 60;

/** a storage-safe file name: no folders, letters, digits, dot, dash and underscore only */
export function safeFileName(raw: string): string {
  const name = basename(raw.replace(/\\/g, '/'))
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 200);
  if (name === '' || /^\.+$/.test(name)) {
    throw new OmveeError('invalid_input', `"${raw}" is not a usable file name`, { hint: 'give the name the file will have, e.g. song.mp3' });
  }
  return name;
}

export const Options = z.object({ upsert: z.boolean().optional() }).strict();

export async function run(ctx: CliContext, { args, options }: InputOf<typeof Options>): Promise<void> {
  const [ref, fileName] = args as [string, string];
  const name = safeFileName(fileName);
  const services = await ctx.services();
  const blobs = services.blobs as typeof services.blobs & { createSignedUploadUrl?: (key: string, o?: { upsert?: boolean }) => Promise<{ signedUrl: string; token: string; key: string }> };
  if (services.backend !== 'supabase' || typeof blobs.createSignedUploadUrl !== 'function') {
    throw new OmveeError('config', 'upload presign needs the Supabase backend (signed upload URLs are a Supabase Storage feature)', {
      hint: 'set SUPABASE_URL and a key (SUPABASE_SERVICE_KEY, or SUPABASE_ANON_KEY + omvee login), or pass --backend supabase; on the local backend use `omvee upload audio`',
    });
  }
  const project = await projectFor(ctx, services.store, ref);
  const key = projectKey(project.id, 'audio', name);
  const signed = await blobs.createSignedUploadUrl(key, { upsert: options.upsert === true });
  if (name !== fileName) ctx.info(`file name stored as ${name}`);
  ctx.success(`signed upload URL for ${key} (valid for 2 hours)`);
  printRecord(
    ctx,
    [
      ['url', signed.signedUrl],
      ['token', signed.token],
      ['path', key],
      ['expires_in', SIGNED_UPLOAD_TTL_SECONDS],
    ],
    { url: signed.signedUrl, token: signed.token, path: key, expires_in: SIGNED_UPLOAD_TTL_SECONDS },
  );
}
