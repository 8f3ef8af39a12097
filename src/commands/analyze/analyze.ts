import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { z } from 'zod';
import type { InputOf } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { formatDuration, printRecord, renderTable, renderTsv, type Column } from '../../cli/output.ts';
import { analysisMatchesSongKey, storedAnalysis } from '../../core/analysis/index.ts';
import type { AudioAnalysis, Section } from '../../core/analysis/index.ts';
import { OmveeError } from '../../core/errors.ts';
import { scratch } from '../../core/pipeline/deps.ts';
import { listScenes } from '../../core/pipeline/scenes-step.ts';
import { requireAudio } from '../../core/pipeline/transcript-step.ts';
import { openCommandPipeline } from '../pipeline.ts';
import { projectFor } from '../resolve.ts';

export const Options = z
  .object({
    plot: z
      .string()
      .refine((p) => extname(p).toLowerCase() === '.png', '--plot must name a .png file, e.g. --plot song.png')
      .optional(),
    force: z.boolean().optional(),
  })
  .strict();

interface Row extends Section {
  n: number;
  chorus: boolean;
}

const COLUMNS: Column<Row>[] = [
  { header: '#', value: (r) => r.n, align: 'right' },
  { header: 'start', value: (r) => formatDuration(r.start_s), align: 'right' },
  { header: 'end', value: (r) => formatDuration(r.end_s), align: 'right' },
  { header: 'label', value: (r) => (r.chorus ? `${r.label} (chorus)` : r.label) },
  { header: 'energy', value: (r) => r.energy.toFixed(2), align: 'right' },
];

/** What `--json` prints: the analysis, with each section saying whether it is the chorus. */
export function analysisJson(projectId: string, a: AudioAnalysis, plot: string | null): Record<string, unknown> {
  return {
    project_id: projectId,
    duration_s: a.duration_s,
    tempo_bpm: a.tempo_bpm,
    meter: a.meter,
    beats: a.beats,
    downbeats: a.downbeats,
    sections: a.sections.map((s) => ({ start_s: s.start_s, end_s: s.end_s, label: s.label, energy: s.energy, chorus: s.label === a.chorus_label })),
    chorus_label: a.chorus_label,
    energy: a.energy,
    vocal_activity: a.vocal_activity,
    notes: a.notes,
    audio_sha256: a.audio_sha256,
    version: a.version,
    plot,
  };
}

export async function run(ctx: CliContext, { args, options }: InputOf<typeof Options>): Promise<void> {
  const pipeline = await openCommandPipeline(ctx);
  const { store } = pipeline.services;
  let project = await projectFor(ctx, store, args[0]!);
  requireAudio(project);
  const ran = options.force === true || !analysisMatchesSongKey(project);
  if (ran) {
    await pipeline.step('analyze_audio', project, options.force ? { force: true } : {}, 'listening to the song', (job) => String(job.result?.summary ?? 'analysed'));
    project = (await store.get('projects', project.id))!;
  }
  const analysis = storedAnalysis(project);
  if (!analysis) throw new OmveeError('internal', `the analysis of ${project.name} was not stored`, { hint: `try again: omvee analyze ${project.id} --force` });

  let plot: string | null = null;
  if (options.plot) {
    plot = resolve(ctx.io.cwd, options.plot);
    const scenes = await listScenes(pipeline.deps, project.id);
    const lines = (project.transcript?.segments ?? []).map((s) => ({ start: s.start, end: s.end }));
    const media = await pipeline.services.media();
    const work = await scratch(pipeline.deps, 'plot');
    try {
      // drawn aside, then copied: a failure never leaves half a PNG at the user's path
      const tmp = join(work.dir, 'plot.png');
      await media.plotAnalysis(analysis, tmp, { scenes, lines, signal: ctx.signal });
      await mkdir(dirname(plot), { recursive: true });
      await copyFile(tmp, plot);
    } catch (error) {
      if (error instanceof OmveeError) throw error;
      throw new OmveeError('invalid_input', `the plot could not be written to ${plot}: ${(error as Error).message}`, { hint: 'choose a folder you can write to, e.g. --plot ./song.png' });
    } finally {
      await work.cleanup();
    }
  }

  // the step said its notes while it ran; a stored analysis says them here
  if (!ran) for (const note of analysis.notes) ctx.info(`note: ${note}`);
  if (plot) ctx.success(`plot written to ${plot}`);
  if (ctx.json) {
    ctx.writeJson(analysisJson(project.id, analysis, plot));
    return;
  }
  const rows: Row[] = analysis.sections.map((s, i) => ({ ...s, n: i + 1, chorus: s.label === analysis.chorus_label }));
  const fields: [string, unknown][] = [
    ['tempo', analysis.tempo_bpm === null ? 'no steady beat (cuts fall on an even grid)' : `${analysis.tempo_bpm} BPM`],
    ['meter', analysis.meter ? `${analysis.meter} beats per bar` : 'unclear'],
    ['beats', analysis.beats.length],
    ['bars', analysis.downbeats.length],
    ['duration', formatDuration(analysis.duration_s)],
    ['sections', `${analysis.sections.length} (${[...new Set(analysis.sections.map((s) => s.label))].join(' ')})`],
    ['chorus', analysis.chorus_label ?? 'none (nothing repeats)'],
  ];
  printRecord(ctx, fields, null);
  if (ctx.stdoutIsTTY) ctx.write(`\n${renderTable(rows, COLUMNS, ctx.io.stdout.columns ?? 80)}`);
  else ctx.write(renderTsv(rows, [{ header: 'kind', value: () => 'section' }, ...COLUMNS]));
}
