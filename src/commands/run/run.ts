import { basename, extname, resolve } from 'node:path';
import { openBatchMemory } from '../../app/batch-memory.ts';
import { latestFinal } from '../../core/pipeline/final-video.ts';
import { z } from 'zod';
import type { InputOf } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { OmveeError } from '../../core/errors.ts';
import { formatDuration, formatUsd, printRecord } from '../../cli/output.ts';
import { runPreflight } from '../../cli/spend.ts';
import { defaultProjectFps, sceneBoundSettings } from '../../app/clip-defaults.ts';
import { checkInputFile } from '../../core/files.ts';
import { validateProjectName, validateStyle } from '../../core/projects.ts';
import { concurrency, videoFlags, videoSettingsOf, providerChoiceOf, providerFlags, sceneBoundFlags, sceneBounds, spendFlags, spendOf, videoOut } from '../flag-schemas.ts';
import { openCommandPipeline } from '../pipeline.ts';
import { projectFor } from '../resolve.ts';
import { runWhole, type WholeRunInput } from './whole-run.ts';

export const Options = z
  .object({
    lyrics: z.string().optional(),
    name: z.string().optional(),
    style: z.string().optional(),
    out: videoOut,
    project: z.string().optional(),
    batch: z.string().optional(),
    lyricsOverlay: z.boolean().optional(),
    concurrency,
    detach: z.boolean().optional(),
    preview: z.boolean().optional(),
    ...videoFlags,
    ...spendFlags,
    ...sceneBoundFlags,
    ...providerFlags(['transcriber', 'director', 'images', 'clips']),
  })
  .strict();

export async function run(ctx: CliContext, { args, options: opts }: InputOf<typeof Options>): Promise<void> {
  const audio = args[0];
  const modes = [audio !== undefined, opts.project !== undefined, opts.batch !== undefined].filter(Boolean).length;
  if (modes !== 1) {
    throw new OmveeError('usage', modes === 0 ? 'nothing to run' : 'pass only one of: an audio file, --project, --batch', {
      hint: 'omvee run song.mp3 | omvee run --project <id> | omvee run --batch songs.csv',
    });
  }
  const config = await ctx.config();
  const style = validateStyle(opts.style);
  const spend = spendOf(opts);
  const choice = providerChoiceOf(opts);
  // defaults from the clip model: the longest scene is its longest clip, a new project renders at its frame rate
  const bounds = sceneBounds(opts, await sceneBoundSettings(config, choice, opts));
  const fps = await defaultProjectFps(config, choice);
  const parallel = opts.concurrency ? { images: opts.concurrency, clips: opts.concurrency } : {};
  const video = videoSettingsOf(opts);
  const preview = opts.preview === true;
  if (preview && (opts.batch !== undefined || opts.detach === true)) {
    throw new OmveeError('usage', `--preview cannot be combined with ${opts.batch !== undefined ? '--batch' : '--detach'}`, { hint: 'preview one song in this shell: omvee run song.mp3 --preview' });
  }

  if (opts.batch !== undefined) {
    if (opts.detach === true) throw new OmveeError('usage', '--detach cannot be combined with --batch', { hint: 'queue songs one by one: omvee run song.mp3 --detach' });
    const { runBatch } = await import('./batch.ts');
    await runPreflight(ctx, { batch: true, lyrics: false, bounds, choice, flags: spend, video });
    const pipeline = await openCommandPipeline(ctx, { choice, concurrency: parallel, spend });
    const services = pipeline.services;
    const memory = await openBatchMemory(services.config.paths.home, resolve(ctx.io.cwd, opts.batch));
    const stillDone = async (line: { project_id: string | null }) => line.project_id !== null && (await services.store.get('projects', line.project_id)) !== null && (await latestFinal(services.store, line.project_id)) !== null;
    const { failed } = await runBatch(ctx, opts.batch, memory, stillDone, async (item, _signal, resume) => {
      const outcome = await runWhole(ctx, pipeline, {
        ...(resume ? { projectRef: resume.projectId } : { audio: item.audio }),
        lyrics: item.lyrics ?? undefined,
        name: validateProjectName(item.name ?? basename(item.audio, extname(item.audio))),
        style: validateStyle(item.style ?? undefined) ?? style,
        out: undefined,
        bounds,
        fps,
        lyricsOverlay: opts.lyricsOverlay === true,
        video,
      });
      return { projectId: outcome.project_id, outputPath: outcome.output ?? outcome.video_path };
    });
    if (failed > 0) throw new OmveeError('job_failed', `${failed} song${failed > 1 ? 's' : ''} of the batch failed`, { hint: `see the summary above; fix them and run the same batch again (omvee run --batch ${opts.batch}): it resumes those and keeps the rest` });
    return;
  }

  // a name matching several projects is asked about here (on a TTY), before anything runs
  const projectId = opts.project !== undefined ? (await projectFor(ctx, (await ctx.services()).store, opts.project)).id : undefined;
  const input: WholeRunInput & { out: string | undefined } = {
    bounds,
    fps,
    out: opts.out,
    lyricsOverlay: opts.lyricsOverlay === true,
    style,
    lyrics: opts.lyrics,
    video,
    preview,
    ...(projectId !== undefined ? { projectRef: projectId } : {}),
  };
  if (audio !== undefined) {
    await checkInputFile(audio, 'audio file');
    input.audio = audio;
    input.name = validateProjectName(opts.name ?? basename(audio, extname(audio)));
  }
  if (opts.lyrics !== undefined) await checkInputFile(opts.lyrics, 'lyrics file');
  if (opts.detach === true) {
    if (spend.dryRun || opts.out !== undefined) {
      throw new OmveeError('usage', `--detach cannot be combined with ${spend.dryRun ? '--dry-run' : '--out'}`, {
        hint: spend.dryRun ? 'estimate first with --dry-run, then queue with --detach' : 'a worker renders the video; fetch it afterwards with: omvee render <project> --out FILE --yes',
      });
    }
    const { runDetached } = await import('./detach.ts');
    await runDetached(ctx, { audio: input.audio, lyrics: opts.lyrics, name: input.name, style, projectRef: projectId, bounds, fps, lyricsOverlay: opts.lyricsOverlay === true, video });
    return;
  }
  if (await runPreflight(ctx, { audio, projectRef: projectId, lyrics: opts.lyrics !== undefined, bounds, choice, flags: spend, video, preview })) return;
  const pipeline = await openCommandPipeline(ctx, { choice, concurrency: parallel, spend });
  const summary = await runWhole(ctx, pipeline, input);
  if (summary.preview) {
    ctx.success(`${summary.name}: ${formatDuration(summary.duration_s)} preview animatic from ${summary.images} stills → ${summary.output} in ${summary.elapsed_s.toFixed(1)} s (no clip was made${summary.cost_usd ? `; cost so far ${formatUsd(summary.cost_usd)}` : ''})`);
    ctx.info(`watch it, then continue: omvee run --project ${summary.project_id}${opts.out !== undefined ? ` --out ${opts.out}` : ''}  (or redo stills first: omvee images generate ${summary.project_id} --scene N --new-take)`);
    printRecord(ctx, Object.entries(summary).filter(([k]) => k !== 'steps'), { ...summary, next: `omvee run --project ${summary.project_id}` });
    return;
  }
  ctx.success(`${summary.name}: ${formatDuration(summary.duration_s)} video, ${summary.scenes} scenes${summary.output ? ` → ${summary.output}` : ''} in ${summary.elapsed_s.toFixed(1)} s${summary.cost_usd ? ` (cost ${formatUsd(summary.cost_usd)})` : ''}`);
  printRecord(ctx, Object.entries(summary).filter(([k]) => k !== 'steps'), summary);
}
