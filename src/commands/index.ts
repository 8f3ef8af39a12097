/** The command tree. Each noun registers its subcommands; handlers load lazily. */
import type { Command } from 'commander';
import type { ActionFactory } from '../cli/action.ts';
import { registerProject } from './project/index.ts';
import { registerUpload } from './upload/index.ts';
import { registerJobs } from './jobs/index.ts';
import { registerWorker } from './worker/index.ts';
import { registerConfig } from './config/index.ts';
import { registerDoctor } from './doctor/index.ts';
import { registerAuth } from './auth/index.ts';
import { registerTranscript } from './transcript/index.ts';
import { registerScenes } from './scenes/index.ts';
import { registerAnalyze } from './analyze/index.ts';
import { registerPrompts } from './prompts/index.ts';
import { registerImages } from './images/index.ts';
import { registerClips } from './clips/index.ts';
import { registerRender } from './render/index.ts';
import { registerRun } from './run/index.ts';
import { registerArtists } from './artists/index.ts';

export function registerCommands(program: Command, act: ActionFactory): void {
  registerRun(program, act);
  registerProject(program, act);
  registerUpload(program, act);
  registerTranscript(program, act);
  registerAnalyze(program, act);
  registerScenes(program, act);
  registerPrompts(program, act);
  registerImages(program, act);
  registerClips(program, act);
  registerRender(program, act);
  registerArtists(program, act);
  registerJobs(program, act);
  registerWorker(program, act);
  registerDoctor(program, act);
  registerAuth(program, act);
  registerConfig(program, act);
}
