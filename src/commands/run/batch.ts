/**
 * `omvee run --batch FILE`: one project per line of a JSON or CSV file, rendered one after
 * the other. A failed line does not stop the batch; the summary lists every line, and the
 * caller exits 1 when any failed. The render itself is injected (`renderOne`), so this module
 * only sequences, reports and summarizes.
 */
import { checkInputFile } from '../../core/files.ts';
import type { CliContext } from '../../cli/context.ts';
import { OmveeError } from '../../core/errors.ts';
import { printList, type Column } from '../../cli/output.ts';
import { readBatchFile, type BatchItem } from '../../core/batch/parse.ts';
import type { BatchMemory, RememberedLine } from '../../app/batch-memory.ts';

export type { BatchItem } from '../../core/batch/parse.ts';

export interface RenderedItem {
  projectId: string;
  outputPath: string;
}

export interface BatchLineResult {
  line: number;
  name: string;
  audio: string;
  /** kept: finished by an earlier run of this batch (not rendered again) */
  status: 'ok' | 'failed' | 'skipped' | 'kept';
  project_id: string | null;
  output: string | null;
  error: string | null;
}

/**
 * Runs the whole pipeline for one song — or resumes `resume` (the project an earlier run of
 * this batch left unfinished); throws on failure (projectId in OmveeError details when known).
 */
export type RenderOne = (item: BatchItem, signal: AbortSignal, resume: { projectId: string } | null) => Promise<RenderedItem>;

/** Whether a line an earlier run finished still stands (its project exists and its video too). */
export type StillDone = (line: RememberedLine) => Promise<boolean>;

export interface BatchOutcome {
  failed: number;
  results: BatchLineResult[];
}

const COLUMNS: Column<BatchLineResult>[] = [
  { header: 'line', value: (r) => r.line, align: 'right' },
  { header: 'name', value: (r) => r.name },
  { header: 'status', value: (r) => r.status },
  { header: 'project', value: (r) => r.project_id, id: true },
  { header: 'output / error', value: (r) => r.output ?? r.error },
];

export async function runBatch(ctx: CliContext, file: string, memory: BatchMemory, stillDone: StillDone, renderOne: RenderOne): Promise<BatchOutcome> {
  const items = await readBatchFile(file);
  const results: BatchLineResult[] = [];
  for (const [index, item] of items.entries()) {
    const base = { line: item.line, name: item.name, audio: item.audio };
    if (ctx.signal.aborted) {
      results.push({ ...base, status: 'skipped', project_id: null, output: null, error: 'interrupted before it started' });
      continue;
    }
    const earlier = memory.get(item.audio, item.name);
    if (earlier && (earlier.status === 'ok' || earlier.status === 'kept') && (await stillDone(earlier))) {
      ctx.info(`${ctx.paint('1', `[${index + 1}/${items.length}]`)} ${item.name} (line ${item.line}): done by an earlier run of this batch (project ${earlier.project_id})`);
      results.push({ ...base, status: 'kept', project_id: earlier.project_id, output: earlier.output, error: null });
      continue;
    }
    const resume = earlier?.project_id && earlier.status !== 'ok' && earlier.status !== 'kept' ? { projectId: earlier.project_id } : null;
    ctx.info(`${ctx.paint('1', `[${index + 1}/${items.length}]`)} ${item.name} (line ${item.line})${resume ? `: resuming project ${resume.projectId}` : ''}`);
    let result: BatchLineResult;
    try {
      await checkInputFile(item.audio, 'audio file');
      if (item.lyrics !== undefined) await checkInputFile(item.lyrics, 'lyrics file');
      const done = await renderOne(item, ctx.signal, resume);
      result = { ...base, status: 'ok', project_id: done.projectId, output: done.outputPath, error: null };
    } catch (error) {
      const projectId = error instanceof OmveeError && typeof error.details?.projectId === 'string' ? error.details.projectId : (resume?.projectId ?? null);
      const message = error instanceof Error ? error.message : String(error);
      result = { ...base, status: ctx.signal.aborted ? 'skipped' : 'failed', project_id: projectId, output: null, error: message };
      ctx.warn(`line ${item.line} (${item.name}) failed: ${message}`);
    }
    results.push(result);
    await memory.set(item.audio, item.name, { project_id: result.project_id, status: result.status, output: result.output }).catch((error: Error) => ctx.warn(`cannot remember this batch's progress: ${error.message}`));
  }
  const failed = results.filter((r) => r.status !== 'ok' && r.status !== 'kept').length;
  const kept = results.filter((r) => r.status === 'kept').length;
  if (!ctx.json) ctx.info(`batch: ${results.length - failed} of ${results.length} rendered${kept ? ` (${kept} by an earlier run)` : ''}${failed ? `, ${failed} failed` : ''}`);
  printList(ctx, results, COLUMNS);
  if (ctx.signal.aborted) throw new OmveeError('interrupted', 'batch interrupted', { hint: `finished projects are kept; run the same batch again to resume it: omvee run --batch ${file}` });
  return { failed, results };
}
