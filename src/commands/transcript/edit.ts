import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InputOf } from '../../cli/action.ts';
import { NoOptions } from '../flag-schemas.ts';
import type { CliContext } from '../../cli/context.ts';
import { OmveeError } from '../../core/errors.ts';
import { printRecord } from '../../cli/output.ts';
import { formatLrc, parseLyrics } from '../../core/lyrics/index.ts';
import type { PipelineDeps } from '../../core/pipeline/deps.ts';
import { saveTranscript } from '../../core/pipeline/transcript-step.ts';
import { projectFor } from '../resolve.ts';

function editorCommand(env: Record<string, string | undefined>): string | null {
  return env.VISUAL || env.EDITOR || null;
}

function runEditor(command: string, file: string, env: Record<string, string | undefined>): Promise<number> {
  return new Promise((resolve, reject) => {
    // the editor may carry arguments ("code --wait"); split on spaces, no shell
    const [bin, ...rest] = command.split(/\s+/).filter(Boolean);
    const child = spawn(bin!, [...rest, file], { stdio: 'inherit', env: env as NodeJS.ProcessEnv });
    child.on('error', (error) => reject(new OmveeError('config', `cannot start the editor "${command}": ${error.message}`, { hint: 'set EDITOR to an editor on your PATH, e.g. EDITOR=nano' })));
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

export const Options = NoOptions;

export async function run(ctx: CliContext, { args }: InputOf<typeof Options>): Promise<void> {
  const editor = editorCommand(ctx.env) ?? (ctx.canPrompt ? 'vi' : null);
  if (!editor) throw new OmveeError('not_interactive', 'transcript edit needs an editor', { hint: 'set EDITOR (or VISUAL), or run it in a terminal' });
  const services = await ctx.services();
  const project = await projectFor(ctx, services.store, args[0]!);
  const transcript = project.transcript ?? { source: 'lrc', language: null, segments: [] };
  const dir = await mkdtemp(join(tmpdir(), 'omvee-edit-'));
  const file = join(dir, `${project.name.replace(/[^\w.-]+/g, '_').slice(0, 60) || 'lyrics'}.lrc`);
  const before = formatLrc(transcript);
  await writeFile(file, before);
  try {
    const code = await runEditor(editor, file, ctx.env);
    if (code !== 0) throw new OmveeError('aborted', `the editor exited with code ${code}; transcript unchanged`);
    const after = await readFile(file, 'utf8');
    if (after.trim() === '' && before.trim() !== '') {
      // an emptied file is how people abort in an editor that cannot quit with an error
      ctx.info('the file was emptied: transcript unchanged');
      printRecord(ctx, [['segments', transcript.segments.length], ['changed', false]], { project_id: project.id, changed: false, segments: transcript.segments.length });
      return;
    }
    if (after === before) {
      ctx.info('no changes');
      printRecord(ctx, [['segments', transcript.segments.length], ['changed', false]], { project_id: project.id, changed: false, segments: transcript.segments.length });
      return;
    }
    let parsed;
    try {
      parsed = parseLyrics(after, { durationS: project.audio_duration_s, fileName: file, format: 'lrc' });
    } catch (error) {
      const kept = join(tmpdir(), `omvee-edit-${project.id}.lrc`);
      await writeFile(kept, after);
      throw new OmveeError('invalid_input', `the edited lyrics are not valid: ${(error as Error).message}; transcript unchanged`, { hint: `your edit is saved at ${kept}; fix it and run: omvee transcript import ${project.id} ${kept}` });
    }
    for (const w of parsed.warnings) ctx.warn(w);
    const deps = { store: services.store, blobs: services.blobs } as PipelineDeps;
    await saveTranscript(deps, project, { ...parsed.transcript, source: transcript.source === 'none' ? 'lrc' : transcript.source });
    ctx.success(`saved ${parsed.transcript.segments.length} lyric lines`);
    const scenes = await services.store.count('selected_scenes', { project_id: project.id });
    if (scenes > 0) ctx.warn(`the ${scenes} scenes were cut on the old lyrics; choose them again to follow the new ones: omvee scenes select ${project.id}`);
    printRecord(ctx, [['segments', parsed.transcript.segments.length], ['changed', true]], { project_id: project.id, changed: true, segments: parsed.transcript.segments.length });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
