/**
 * What a file really is, from its first bytes (magic numbers), whatever its name or a server's
 * Content-Type header says. A leaf module: core, providers and media use it.
 *
 * Signatures: PNG (ISO/IEC 15948 §5.2: 89 50 4E 47 0D 0A 1A 0A), JPEG (SOI + marker: FF D8 FF),
 * WebP (RIFF container with form type "WEBP", RFC 9649 §2), ISO BMFF / MP4 / QuickTime (a box
 * header whose type is ftyp, or moov/mdat/free/skip/wide for old QuickTime files, ISO/IEC
 * 14496-12 §4.2), Matroska / WebM (EBML magic 1A 45 DF A3, RFC 8794 §8).
 */
export type ImageFormat = 'png' | 'jpeg' | 'webp';
export type VideoContainer = 'mp4' | 'webm';

/** how many leading bytes the sniffers look at */
export const SNIFF_BYTES = 16;

/** The image format from the first bytes of a file, or null when it is none we accept. */
export function sniffImageFormat(head: Uint8Array): ImageFormat | null {
  const at = (i: number): number => head[i] ?? -1;
  if ([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => at(i) === b)) return 'png';
  if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return 'jpeg';
  if (head.length >= 12 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'webp';
  return null;
}

const BMFF_FIRST_BOXES = new Set(['ftyp', 'moov', 'mdat', 'free', 'skip', 'wide']);

/** The video container from the first bytes of a file, or null when it is none we accept. */
export function sniffVideoContainer(head: Uint8Array): VideoContainer | null {
  if (head.length >= 8 && BMFF_FIRST_BOXES.has(ascii(head, 4, 8))) return 'mp4';
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return 'webm';
  return null;
}

export const IMAGE_CONTENT_TYPES: Record<ImageFormat, string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}

/** The first SNIFF_BYTES of a file. */
export async function fileHead(path: string): Promise<Uint8Array> {
  const { open } = await import('node:fs/promises');
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
