/**
 * What the fake Replicate knows about models: their published schemas (the model objects
 * shipped in src/providers/replicate/contract/fixtures/, each citing its page) and how their
 * outputs really come out. Output facts, with their sources:
 *
 * - Seedance 1.0 (lite / pro / pro-fast) make 24 fps and one frame more than asked: frame count
 *   24·duration + 1 (ByteDance: "frames … Format: 25+4n, range [29, 289]" for 2–12 s,
 *   docs.modellix.ai/bytedance/seedance-1-0-lite-t2v; a Replicate seedance-1-pro-fast 5 s
 *   output measured 1088x1920, 5.041667 s = 121 frames). Frame sizes per resolution and aspect:
 *   480p 864x480 / 480x864 / 736x544 / 544x736 / 640x640 / 960x416 / 416x960 and 1080p
 *   1920x1088 / 1088x1920 / 1664x1248 / 1248x1664 / 1440x1440 / 2176x928 / 928x2176
 *   (runware.ai/docs/models/bytedance-seedance-1-0-pro); 720p 1248x704 / 704x1248 / 1120x832 /
 *   832x1120 / 960x960 / 1504x640 / 640x1504 (a ByteDance client's size→resolution table; a
 *   seedance output logged as 1248x704 24fps). With an image, the aspect ratio follows the image
 *   ("Video aspect ratio. Ignored if an image is used.", the schema).
 * - Seedance 2.0: treated like 1.0 (720p 16:9 observed as 1248x704, 24 fps); frame count
 *   assumed 24·d + 1.
 * - Kling v2.1: 24 fps ("Both are 24fps", api.core.today/v1/models/kwaivgi/kling-v2.1), master is
 *   1080p; outputs run one frame (~42 ms) past the asked length (issue 11, from real logs).
 *   Aspect follows the start image ("Ignored if start_image is provided.").
 * - Wan 2.5 i2v: 16:9 1280x720 at 720p etc.; 24 fps and the exact frame count are ASSUMED here.
 * - MiniMax image-01: 1:1 1024x1024, 16:9 1280x720, 4:3 1152x864, 3:2 1248x832, 2:3 832x1248,
 *   3:4 864x1152, 9:16 720x1280, 21:9 1344x576 (MiniMax image generation API docs).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type Json = Record<string, unknown>;

export interface FakeModel {
  /** the model object as GET /v1/models/{owner}/{name} answers it (without `_source`) */
  object: Json & { owner: string; name: string; latest_version: Json & { id: string; openapi_schema: Json } };
  kind: 'video' | 'image';
}

const FIXTURE_DIR = fileURLToPath(new URL('../../../src/providers/replicate/contract/fixtures/', import.meta.url));

/** Every shipped model object, by owner/name. */
export function loadFixtureModels(): Map<string, FakeModel> {
  const models = new Map<string, FakeModel>();
  for (const file of readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.json'))) {
    const raw = JSON.parse(readFileSync(FIXTURE_DIR + file, 'utf8')) as FakeModel['object'] & { _source?: unknown };
    delete raw._source;
    addModel(models, raw);
  }
  return models;
}

export function addModel(models: Map<string, FakeModel>, object: FakeModel['object']): void {
  const input = ((object.latest_version.openapi_schema['components'] as Json)['schemas'] as Json)['Input'] as Json;
  const props = (input['properties'] ?? {}) as Json;
  models.set(`${object.owner}/${object.name}`, { object, kind: 'duration' in props || 'fps' in props ? 'video' : 'image' });
}

const SEEDANCE_SIZES: Record<string, Record<string, [number, number]>> = {
  '480p': { '16:9': [864, 480], '9:16': [480, 864], '4:3': [736, 544], '3:4': [544, 736], '1:1': [640, 640], '21:9': [960, 416], '9:21': [416, 960] },
  '720p': { '16:9': [1248, 704], '9:16': [704, 1248], '4:3': [1120, 832], '3:4': [832, 1120], '1:1': [960, 960], '21:9': [1504, 640], '9:21': [640, 1504] },
  '1080p': { '16:9': [1920, 1088], '9:16': [1088, 1920], '4:3': [1664, 1248], '3:4': [1248, 1664], '1:1': [1440, 1440], '21:9': [2176, 928], '9:21': [928, 2176] },
};
const MINIMAX_SIZES: Record<string, [number, number]> = { '1:1': [1024, 1024], '16:9': [1280, 720], '4:3': [1152, 864], '3:2': [1248, 832], '2:3': [832, 1248], '3:4': [864, 1152], '9:16': [720, 1280], '21:9': [1344, 576] };

function nearest(ratio: number, options: readonly string[]): string {
  let best = options[0]!;
  let dist = Infinity;
  for (const o of options) {
    const [w, h] = o.split(':').map(Number) as [number, number];
    const d = Math.abs(Math.log(w / h) - Math.log(ratio));
    if (d < dist) {
      dist = d;
      best = o;
    }
  }
  return best;
}

export interface OutputSpec {
  width: number;
  height: number;
  fps: number;
  frames: number;
}

/** The size and length of what `model` makes for `input`; imageRatio is the first frame's w/h. */
export function videoOutput(model: string, input: Json, imageRatio: number | null): OutputSpec {
  const duration = Number(input['duration'] ?? 5);
  const aspect = typeof input['aspect_ratio'] === 'string' ? (input['aspect_ratio'] as string) : '16:9';
  if (model.startsWith('bytedance/seedance')) {
    const res = String(input['resolution'] ?? (model.includes('pro') ? '1080p' : '720p'));
    const table = SEEDANCE_SIZES[res] ?? SEEDANCE_SIZES['720p']!;
    const key = imageRatio ? nearest(imageRatio, Object.keys(table)) : aspect in table ? aspect : '16:9';
    const [width, height] = table[key]!;
    return { width, height, fps: 24, frames: 24 * duration + 1 };
  }
  if (model.startsWith('kwaivgi/kling')) {
    const key = imageRatio ? nearest(imageRatio, ['16:9', '9:16', '1:1']) : aspect;
    const [width, height] = key === '9:16' ? [1080, 1920] : key === '1:1' ? [1080, 1080] : [1920, 1080];
    return { width, height, fps: 24, frames: 24 * duration + 1 };
  }
  const res = String(input['resolution'] ?? '720p');
  const short = res === '480p' ? 480 : res === '1080p' ? 1080 : 720;
  const portrait = imageRatio !== null && imageRatio < 1;
  const long = Math.round((short * 16) / 9 / 2) * 2;
  return { width: portrait ? short : long, height: portrait ? long : short, fps: 24, frames: 24 * duration };
}

export function imageOutput(model: string, input: Json): { width: number; height: number } {
  const aspect = typeof input['aspect_ratio'] === 'string' ? (input['aspect_ratio'] as string) : '1:1';
  if (model === 'minimax/image-01') {
    const [width, height] = MINIMAX_SIZES[aspect] ?? MINIMAX_SIZES['1:1']!;
    return { width, height };
  }
  const w = Number(input['width'] ?? 64);
  const h = Number(input['height'] ?? 36);
  return { width: w, height: h };
}

/** width/height of a PNG or JPEG, or null. */
export function imageSize(bytes: Buffer): { width: number; height: number } | null {
  if (bytes.length > 24 && bytes.readUInt32BE(0) === 0x89504e47) return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    let i = 2;
    while (i + 9 < bytes.length) {
      if (bytes[i] !== 0xff) return null;
      const marker = bytes[i + 1]!;
      const len = bytes.readUInt16BE(i + 2);
      if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) return { height: bytes.readUInt16BE(i + 5), width: bytes.readUInt16BE(i + 7) };
      i += 2 + len;
    }
  }
  return null;
}
