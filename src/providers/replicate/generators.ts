/**
 * Replicate-backed ImageGenerator and ClipGenerator.
 *
 * Each generate(): build the model's input → create-or-re-attach and poll (predictions.ts;
 * the id is reported through onPrediction before waiting) → copy the output into outPath at
 * once with the safe downloader → cost from the price table and Replicate's metrics.
 * A p-limit per generator bounds concurrent predictions (default 4 images, 2 clips).
 */
import pLimit from 'p-limit';
import { OmveeError } from '../../core/errors.ts';
import { buildPriceTable, predictionCost, type PriceTable } from '../cost.ts';
import { downloadTo, type DownloadResult } from '../http/download.ts';
import type { CallContext, ClipGenerator, ClipInput, ClipResult, ImageGenerator, ImageInput, ImageResult } from '../ports.ts';
import { createReplicateClient, type Replicate, type ReplicateConnection } from './client.ts';
import { chooseClipDuration, chooseResolution, clipInput, clipModelLimits, fileToDataUrl, imageInput } from './inputs.ts';
import { DEFAULT_MODELS } from '../models.ts';
import { cancelWith, outputUrls, runPrediction, type RunPredictionOptions } from './predictions.ts';
import type { Prediction } from './client.ts';

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
}

export interface ReplicateClipOptions extends ReplicateGeneratorOptions {
  /** force a model resolution like '480p'; default: the smallest ≥ the project's height */
  resolution?: string | undefined;
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

function isExpiredOutput(err: unknown): boolean {
  const status = err instanceof OmveeError ? err.details?.['status'] : undefined;
  return status === 404 || status === 410;
}

/**
 * Run (or re-attach to) a prediction and copy its output at once. When a re-attached
 * prediction's output has already been deleted by Replicate, a new prediction is paid for
 * (and reported through onPrediction): the old result cannot be recovered.
 */
async function predictAndDownload(
  replicate: Replicate,
  run: RunPredictionOptions,
  ctx: CallContext,
  download: (url: string) => Promise<DownloadResult>,
): Promise<{ prediction: Prediction; file: DownloadResult }> {
  const first = await runPrediction(replicate, run, ctx);
  try {
    return { prediction: first.prediction, file: await download(firstOutput(first.prediction.output, first.prediction.id)) };
  } catch (err) {
    if (first.created || !isExpiredOutput(err)) throw err;
    ctx.log?.(`the output of stored prediction ${first.prediction.id} has expired; starting a new one`);
    const again = await runPrediction(replicate, { ...run, resumePredictionId: null }, ctx);
    return { prediction: again.prediction, file: await download(firstOutput(again.prediction.output, again.prediction.id)) };
  }
}

export function createReplicateImageGenerator(opts: ReplicateGeneratorOptions): ImageGenerator {
  const model = opts.model ?? DEFAULT_MODELS.image;
  const prices = opts.prices ?? buildPriceTable();
  const client = lazyClient(opts);
  const limit = pLimit(Math.max(1, opts.concurrency ?? 4));

  async function generateOne(input: ImageInput, ctx: CallContext): Promise<ImageResult> {
    const replicate = await client();
    const reference = input.referenceImages?.[0];
    const { prediction, file } = await predictAndDownload(
      replicate,
      {
        model,
        input: imageInput({
          model,
          prompt: input.prompt,
          width: input.width,
          height: input.height,
          seed: input.seed,
          referenceImage: reference ? await fileToDataUrl(reference) : undefined,
        }),
        pollIntervalMs: opts.pollIntervalMs ?? 2000,
        timeoutMs: opts.timeoutMs ?? 10 * 60_000,
        resumePredictionId: input.resumePredictionId ?? null,
        onPrediction: input.onPrediction,
      },
      ctx,
      saveOutput(opts, input.outPath, ctx, 50 * 1024 * 1024, ['image/png', 'image/jpeg', 'image/webp'], 'image'),
    );
    const urls = outputUrls(prediction.output);
    return {
      path: file.path,
      contentType: file.contentType,
      model,
      seed: input.seed,
      costUsd: predictionCost(prices, model, { metrics: prediction.metrics, outputCount: urls.length }),
      predictionId: prediction.id,
    };
  }

  return {
    name: 'replicate',
    model,
    generate: (input, ctx) => limit(() => generateOne(input, ctx)),
  };
}

/** Copy a prediction's output into omvee's storage path at once (Replicate deletes it later). */
function saveOutput(opts: ReplicateGeneratorOptions, outPath: string, ctx: CallContext, defaultMaxBytes: number, types: string[], expect: 'image' | 'video') {
  return (url: string) =>
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

export function createReplicateClipGenerator(opts: ReplicateClipOptions): ClipGenerator {
  const model = opts.model ?? DEFAULT_MODELS.clip;
  const prices = opts.prices ?? buildPriceTable();
  const client = lazyClient(opts);
  const limit = pLimit(Math.max(1, opts.concurrency ?? 2));
  const limits = clipModelLimits(model);

  async function generateOne(input: ClipInput, ctx: CallContext): Promise<ClipResult> {
    const replicate = await client();
    const sceneS = input.frameCount / input.fps;
    const { durationS, short } = chooseClipDuration(sceneS, limits.durationsS);
    if (short) ctx.log?.(`scene is ${sceneS.toFixed(2)} s, longer than ${model} can make (${durationS} s): the last frame will be held`);
    const resolution = opts.resolution ?? chooseResolution(input.height, limits.resolutions);
    const { prediction } = await predictAndDownload(
      replicate,
      {
        model,
        input: clipInput({
          model,
          prompt: input.motionPrompt ?? input.scene.theme ?? input.scene.title ?? 'slow cinematic camera motion',
          image: await fileToDataUrl(input.imagePath),
          durationS,
          resolution,
          seed: input.seed,
          width: input.width,
          height: input.height,
        }),
        pollIntervalMs: opts.pollIntervalMs ?? 2000,
        timeoutMs: opts.timeoutMs ?? 20 * 60_000,
        resumePredictionId: input.resumePredictionId ?? null,
        onPrediction: input.onPrediction,
      },
      ctx,
      saveOutput(opts, input.outPath, ctx, 200 * 1024 * 1024, ['video/mp4', 'video/quicktime', 'video/webm'], 'video'),
    );
    const metrics = prediction.metrics as Record<string, unknown> | undefined;
    const reportedSeconds = metrics?.['video_output_duration_seconds'];
    const inputDuration = (prediction.input as Record<string, unknown> | undefined)?.['duration'];
    return {
      path: input.outPath,
      model,
      costUsd: predictionCost(prices, model, {
        metrics: prediction.metrics,
        videoSeconds: typeof reportedSeconds === 'number' ? reportedSeconds : typeof inputDuration === 'number' ? inputDuration : durationS,
        resolution: typeof (prediction.input as Record<string, unknown> | undefined)?.['resolution'] === 'string' ? ((prediction.input as Record<string, string>)['resolution']) : resolution,
      }),
      predictionId: prediction.id,
      normalized: false,
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
