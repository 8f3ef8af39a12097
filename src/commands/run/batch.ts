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

export type { BatchItem } from '../../core/batch/parse.ts';

export interface RenderedItem {
  projectId: string;
  outputPath: string;
}

export interface BatchLineResult {
  line: number;
  name: string;
  audio: string;
  status: 'ok' | 'failed' | 'skipped';
  project_id: string | null;
  output: string | null;
  error: string | null;
}

/** runs the whole pipeline for one song; throws on failure (projectId in OmveeError details when known) */
export type RenderOne = (item: BatchItem, signal: AbortSignal) => Promise<RenderedItem>;

export interface BatchOutcome {
  failed: number;
  results: BatchLineResult[];
}

const COLUMNS: Column<BatchLineResult>[] = [
  { header: 'line', value: (r) => r.line, align: 'right' },
  { header: 'name', value: (r) => r.name },
  { header: 'status', value: (r) => r.status },
  { header: 'project', value: (r) => r.project_id },
  { header: 'output / error', value: (r) => r.output ?? r.error },
];

export async function runBatch(ctx: CliContext, file: string, renderOne: RenderOne): Promise<BatchOutcome> {
  const items = await readBatchFile(file);
  const results: BatchLineResult[] = [];
  for (const [index, item] of items.entries()) {
    const base = { line: item.line, name: item.name, audio: item.audio };
    if (ctx.signal.aborted) {
      results.push({ ...base, status: 'skipped', project_id: null, output: null, error: 'interrupted before it started' });
      continue;
    }
    ctx.info(`${ctx.paint('1', `[${index + 1}/${items.length}]`)} ${item.name} (line ${item.line})`);
    try {
      await checkInputFile(item.audio, 'audio file');
      if (item.lyrics !== undefined) await checkInputFile(item.lyrics, 'lyrics file');
      const done = await renderOne(item, ctx.signal);
      results.push({ ...base, status: 'ok', project_id: done.projectId, output: done.outputPath, error: null });
    } catch (error) {
      const projectId = error instanceof OmveeError && typeof error.details?.projectId === 'string' ? error.details.projectId : null;
      const message = error instanceof Error ? error.message : String(error);
      results.push({ ...base, status: ctx.signal.aborted ? 'skipped' : 'failed', project_id: projectId, output: null, error: message });
      ctx.warn(`line ${item.line} (${item.name}) failed: ${message}`);
    }
  }
  const failed = results.filter((r) => r.status !== 'ok').length;
  if (!ctx.json) ctx.info(`batch: ${results.length - failed} of ${results.length} rendered${failed ? `, ${failed} failed` : ''}`);
  printList(ctx, results, COLUMNS);
  if (ctx.signal.aborted) throw new OmveeError('interrupted', 'batch interrupted', { hint: 'finished projects are kept; resume one with `omvee run --project <id>`' });
  return { failed, results };
}
