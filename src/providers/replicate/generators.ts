/**
 * Replicate-backed ImageGenerator and ClipGenerator, driven by each model's published schema.
 *
 * Each generate(): the model's contract (contract/source.ts: cache → Replicate → shipped schema)
 * → omvee's request mapped onto the model's own fields (contract/map.ts; the still is the first
 * frame, its file uploaded with the Files API or inlined when small) → the input checked against
 * the schema before anything paid → create-or-re-attach and poll, transient failures retried as
 * new attempts, a lost create found again (attempts.ts, predictions.ts) → the output copied into
 * outPath at once with the safe downloader → cost from the price table, summed over attempts.
 * A p-limit per generator bounds concurrent predictions (default 4 images, 2 clips).
 */
import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import pLimit from 'p-limit';
import { OmveeError } from '../../core/errors.ts';
import { predictionCost, priceOf, type PriceTable } from '../../core/cost/prices.ts';
import { buildPriceTable } from '../cost.ts';
import { downloadTo, type DownloadResult } from '../http/download.ts';
import type { TakeAttempt } from '../../core/model.ts';
import type { MediaTools } from '../../media/port.ts';
import type { CallContext, ClipGenerator, ClipInput, ClipResult, ImageGenerator, ImageInput, ImageResult } from '../ports.ts';
import { DEFAULT_CLIP_MODEL, DEFAULT_IMAGE_MODEL } from './models.ts';
import { runWithAttempts } from './attempts.ts';
import { createReplicateClient, type Prediction, type Replicate, type ReplicateConnection } from './client.ts';
import { createContractSource, type ContractCache, type ContractSource } from './contract/source.ts';
import { mapClipRequest, mapImageRequest } from './contract/map.ts';
import { clipBilling, planClipPredictions, type PlannedPrediction } from './contract/plan.ts';
import { assertValidInput } from './contract/validate.ts';
import type { ModelContract } from './contract/derive.ts';
import { createFileInputs, type FileInputOptions } from './files.ts';
import { composeImagePrompt } from './inputs.ts';
import { cancelWith, outputUrls, type RunPredictionOptions } from './predictions.ts';

export interface ReplicateGeneratorOptions extends ReplicateConnection {
  /** model 'owner/name' (official model) or 'owner/name:version' */
  model?: string | undefined;
  /** ms between predictions.get polls (default 2000) */
  pollIntervalMs?: number | undefined;
  /** how long to wait for one prediction to finish, ms (default 10 min images, 20 min clips) */
  timeoutMs?: number | undefined;
  /** output download cap in bytes (default 50 MB images, 200 MB clips) */
  downloadMaxBytes?: number | undefined;
  /** tests: allow http:// output URLs on loopback */
  allowLoopbackHttp?: boolean | undefined;
  /** concurrent predictions of this generator (default 4 images, 2 clips) */
  concurrency?: number | undefined;
  /** price table (default DEFAULT_PRICES) */
  prices?: PriceTable | undefined;
  /** where model schemas come from (default: this connection, with `contractCache`) */
  contracts?: ContractSource | undefined;
  /** where fetched schemas are kept (e.g. storeContractCache(store)) */
  contractCache?: ContractCache | undefined;
  /** transient failures (out of memory, interrupted…) retried as new predictions (default 2) */
  maxTransientRetries?: number | undefined;
  /** pause before such a retry, ms (default 2 s × attempt, jittered) */
  retryDelayMs?: number | undefined;
  /** wait before looking for a create whose answer was lost, ms (default 3000) */
  lostCreateDelayMs?: number | undefined;
  /** how stills and references are sent (inline under 1 MB, else the Files API) */
  files?: FileInputOptions | undefined;
}

export interface ReplicateClipOptions extends ReplicateGeneratorOptions {
  /** force a model resolution like '480p'; default: the smallest ≥ the project's short side */
  resolution?: string | undefined;
  /** ffmpeg, for joining the predictions of a scene longer than the model makes */
  media?: MediaTools | undefined;
}

const run = promisify(execFile);

/**
 * The prediction to re-attach part `part` of a take of several to: its own succeeded attempt;
 * else, for the first part not finished, the take's stored id when no finished part owns it (the
 * one that was running when the run stopped).
 */
function resumeOfPart(input: ClipInput, part: number): string | null {
  const recorded = input.attempts ?? [];
  const own = recorded.filter((a) => a.part === part && a.prediction_id);
  const last = own[own.length - 1];
  if (last?.status === 'succeeded') return last.prediction_id;
  const stored = input.resumePredictionId;
  if (!stored || recorded.some((a) => a.prediction_id === stored)) return null;
  const finished = new Set(recorded.filter((a) => a.status === 'succeeded' && a.part).map((a) => a.part));
  for (let p = 1; p < part; p++) if (!finished.has(p)) return null;
  return stored;
}

/** The frame of a part's output at `atS` (its last one when it is shorter): the next part's first frame. */
async function lastFrame(videoPath: string, outPng: string, atS: number): Promise<string> {
  await run('ffmpeg', ['-v', 'error', '-y', '-i', videoPath, '-vf', `trim=end=${atS.toFixed(6)}`, '-update', '1', outPng], { maxBuffer: 1024 * 1024 });
  return outPng;
}

/**
 * The parts of a long scene as one clip of exactly the scene's frames: each part normalised to
 * the frames it covers (house size and rate), then joined without re-encoding.
 */
async function joinParts(media: MediaTools, parts: readonly string[], planned: readonly PlannedPrediction[], format: { width: number; height: number; fps: number }, outPath: string): Promise<void> {
  const house: string[] = [];
  for (const [i, part] of parts.entries()) {
    const out = part.replace(/\.mp4$/, '.house.mp4');
    await media.normalizeClip(part, format, planned[i]!.frames, out);
    house.push(out);
  }
  const list = `${outPath}.parts.txt`;
  await writeFile(list, house.map((p) => `file '${p.replace(/'/g, "'\\''")}'`).join('\n'));
  try {
    await run('ffmpeg', ['-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', outPath], { maxBuffer: 1024 * 1024 });
  } finally {
    await rm(list, { force: true }).catch(() => undefined);
  }
}

function lazyClient(opts: ReplicateConnection): () => Promise<Replicate> {
  let client: Promise<Replicate> | null = null;
  return () => (client ??= createReplicateClient(opts));
}

function firstOutput(output: unknown, predictionId: string): string {
  const url = outputUrls(output)[0];
  if (!url) {
    throw new OmveeError('provider', `prediction ${predictionId} succeeded but returned no output file`, {
      hint: 'Regenerate the take; if it keeps happening, check the model configuration.',
      details: { predictionId },
    });
  }
  return url;
}

/** Copy a prediction's output into omvee's storage path at once (Replicate deletes it later). */
function saveOutput(opts: ReplicateGeneratorOptions, outPath: string, ctx: CallContext, defaultMaxBytes: number, types: string[], expect: 'image' | 'video') {
  return (url: string): Promise<DownloadResult> =>
    downloadTo(url, outPath, {
      maxBytes: opts.downloadMaxBytes ?? defaultMaxBytes,
      allowedContentTypes: types,
      expect,
      signal: ctx.signal,
      allowLoopbackHttp: opts.allowLoopbackHttp,
      fetch: opts.fetch,
      retry: opts.retry,
    });
}

/** Billed models (per image / per second of video) charge nothing for a prediction that made nothing. */
function attemptCost(prices: PriceTable, model: string, p: Prediction, billing: Parameters<typeof predictionCost>[2]): number {
  const price = priceOf(prices, model);
  if (p.status !== 'succeeded' && (price?.perImage !== undefined || price?.perVideoSecond)) return 0;
  return predictionCost(prices, model, billing);
}

function contractsFor(opts: ReplicateGeneratorOptions, client: () => Promise<Replicate>): ContractSource {
  return opts.contracts ?? createContractSource({ client, cache: opts.contractCache });
}

function runOptions(opts: ReplicateGeneratorOptions, contract: ModelContract, model: string, input: Record<string, unknown>, defaultTimeoutMs: number, hooks: ImageInput | ClipInput): RunPredictionOptions {
  return {
    model,
    input,
    pollIntervalMs: opts.pollIntervalMs ?? 2000,
    timeoutMs: opts.timeoutMs ?? defaultTimeoutMs,
    resumePredictionId: hooks.resumePredictionId ?? null,
    onPrediction: hooks.onPrediction,
    knownPredictionIds: hooks.knownPredictionIds,
    lostCreateDelayMs: opts.lostCreateDelayMs,
    // checked against the published schema right before any create: nothing paid when it fails
    validate: (value) => assertValidInput(contract, value),
  };
}

export function createReplicateImageGenerator(opts: ReplicateGeneratorOptions): ImageGenerator {
  const model = opts.model ?? DEFAULT_IMAGE_MODEL;
  const prices = opts.prices ?? buildPriceTable();
  const client = lazyClient(opts);
  const limit = pLimit(Math.max(1, opts.concurrency ?? 4));
  const contracts = contractsFor(opts, client);
  const files = createFileInputs(client, opts.files);

  async function generateOne(input: ImageInput, ctx: CallContext): Promise<ImageResult> {
    const replicate = await client();
    const contract = await contracts.get(model, ctx.signal);
    const reference = input.referenceImages?.[0];
    const mapped = mapImageRequest(contract, {
      prompt: composeImagePrompt(input.prompt),
      negativePrompt: input.prompt.negative_prompt,
      width: input.width,
      height: input.height,
      seed: input.seed,
      referenceImage: reference && contract.fields.referenceImages ? await files.forPath(reference, ctx.signal, ctx.log) : undefined,
    });
    for (const note of mapped.notes) ctx.log?.(`${model}: ${note}`);
    const download = saveOutput(opts, input.outPath, ctx, 50 * 1024 * 1024, ['image/png', 'image/jpeg', 'image/webp'], 'image');
    const result = await runWithAttempts(
      replicate,
      {
        run: runOptions(opts, contract, model, mapped.input, 10 * 60_000, input),
        maxRetries: opts.maxTransientRetries,
        retryDelayMs: opts.retryDelayMs,
        onAttempt: input.onAttempt,
        cost: (p) => attemptCost(prices, model, p, { metrics: p.metrics, outputCount: p.status === 'succeeded' ? outputUrls(p.output).length : 0 }),
        accept: (p) => download(firstOutput(p.output, p.id)),
      },
      ctx,
    );
    return {
      path: result.value.path,
      contentType: result.value.contentType,
      model,
      seed: input.seed,
      costUsd: result.costUsd,
      predictionId: result.prediction.id,
      attempts: result.attempts,
    };
  }

  return {
    name: 'replicate',
    model,
    generate: (input, ctx) => limit(() => generateOne(input, ctx)),
  };
}

export function createReplicateClipGenerator(opts: ReplicateClipOptions): ClipGenerator {
  const model = opts.model ?? DEFAULT_CLIP_MODEL;
  const prices = opts.prices ?? buildPriceTable();
  const client = lazyClient(opts);
  const limit = pLimit(Math.max(1, opts.concurrency ?? 2));
  const contracts = contractsFor(opts, client);
  const files = createFileInputs(client, opts.files);

  async function generateOne(input: ClipInput, ctx: CallContext): Promise<ClipResult> {
    const replicate = await client();
    const contract = await contracts.get(model, ctx.signal);
    if (contract.kind !== 'video') {
      throw new OmveeError('config', `${model} is not a video model (its schema has no duration or frame rate input)`, { hint: 'Set OMVEE_CLIP_MODEL to an image-to-video model, e.g. bytedance/seedance-1-lite.' });
    }
    const sceneS = input.frameCount / input.fps;
    // the same plan --dry-run and --max-cost price (contract/plan.ts)
    const planned = planClipPredictions(contract, { frameCount: input.frameCount, fps: input.fps, width: input.width, height: input.height, resolution: opts.resolution });
    const prompt = input.motionPrompt ?? input.scene.theme ?? input.scene.title ?? 'slow cinematic camera motion';
    if (planned.length > 1) {
      ctx.log?.(`scene is ${sceneS.toFixed(2)} s, longer than ${model} makes in one prediction: ${planned.length} predictions (${planned.map((p) => `${p.durationS} s`).join(' + ')}), each starting from the last frame of the one before, joined to ${input.frameCount} frames`);
    }
    const attempts: TakeAttempt[] = [];
    let costUsd = 0;
    let last: { id: string } | null = null;
    let firstFramePath = input.imagePath;
    const partPaths: string[] = [];
    const known = [...(input.knownPredictionIds ?? [])];
    let asked: ClipResult['asked'] = { durationS: null, resolution: null, fps: null };
    try {
      for (const [i, part] of planned.entries()) {
        const partPath = planned.length === 1 ? input.outPath : `${input.outPath}.part${i + 1}.mp4`;
        const mapped = mapClipRequest(contract, {
          prompt,
          firstFrame: await files.forPath(firstFramePath, ctx.signal, ctx.log),
          sceneS: part.coversS,
          ...(part.durationS !== null ? { durationS: part.durationS } : {}),
          width: input.width,
          height: input.height,
          fps: input.fps,
          seed: input.seed + i,
          ...(part.resolution ? { resolution: part.resolution } : {}),
        });
        for (const note of mapped.notes) ctx.log?.(`${model}: ${note}`);
        if (mapped.short) ctx.log?.(`scene is ${sceneS.toFixed(2)} s, longer than ${model} can make (${mapped.durationS} s): the last frame will be held`);
        const download = saveOutput(opts, partPath, ctx, 200 * 1024 * 1024, ['video/mp4', 'video/quicktime', 'video/webm'], 'video');
        const billing = (p: Prediction) => {
          const reported = (p.metrics as Record<string, unknown> | undefined)?.['video_output_duration_seconds'];
          const billed = clipBilling(contract, (p.input as Record<string, unknown> | undefined) ?? mapped.input, part);
          return { metrics: p.metrics, videoSeconds: typeof reported === 'number' ? reported : billed.videoSeconds, resolution: billed.resolution };
        };
        // a take of several predictions re-attaches part by part (each attempt records its part)
        const hooks: ClipInput = planned.length === 1 ? input : { ...input, resumePredictionId: resumeOfPart(input, i + 1), knownPredictionIds: known };
        const result = await runWithAttempts(
          replicate,
          {
            run: runOptions(opts, contract, model, mapped.input, 20 * 60_000, hooks),
            maxRetries: opts.maxTransientRetries,
            retryDelayMs: opts.retryDelayMs,
            onAttempt: input.onAttempt,
            cost: (p) => attemptCost(prices, model, p, billing(p)),
            accept: (p) => download(firstOutput(p.output, p.id)),
            ...(planned.length > 1 ? { part: i + 1 } : {}),
          },
          // part i of n fills its share of the scene's progress
          ctx.progress ? { ...ctx, progress: (f) => ctx.progress!((i + f) / planned.length) } : ctx,
        );
        attempts.push(...result.attempts);
        costUsd += result.costUsd;
        known.push(...result.attempts.map((a) => a.prediction_id).filter((id): id is string => !!id));
        last = result.prediction;
        partPaths.push(partPath);
        if (i === 0) asked = { durationS: mapped.durationS, resolution: mapped.resolution, fps: mapped.fps };
        if (i < planned.length - 1) firstFramePath = await lastFrame(partPath, `${input.outPath}.part${i + 1}.last.png`, part.coversS);
      }
      if (planned.length > 1) {
        if (!opts.media) throw new OmveeError('internal', 'joining the predictions of a long scene needs the media tools');
        await joinParts(opts.media, partPaths, planned, { width: input.width, height: input.height, fps: input.fps }, input.outPath);
      }
    } finally {
      if (planned.length > 1) {
        for (const [i] of planned.entries()) {
          await rm(`${input.outPath}.part${i + 1}.mp4`, { force: true }).catch(() => undefined);
          await rm(`${input.outPath}.part${i + 1}.last.png`, { force: true }).catch(() => undefined);
          await rm(`${input.outPath}.part${i + 1}.house.mp4`, { force: true }).catch(() => undefined);
        }
      }
    }
    return {
      path: input.outPath,
      model,
      costUsd: Math.round(costUsd * 1e6) / 1e6,
      predictionId: last?.id ?? null,
      normalized: false,
      attempts,
      asked,
    };
  }

  return {
    name: 'replicate',
    model,
    generate: (input, ctx) => limit(() => generateOne(input, ctx)),
  };
}

/** Cancel one prediction by id, e.g. for `--cancel-on-exit` or `omvee jobs cancel`. */
export async function cancelPrediction(conn: ReplicateConnection, predictionId: string, signal?: AbortSignal): Promise<string> {
  return cancelWith(await createReplicateClient(conn), predictionId, signal);
}
