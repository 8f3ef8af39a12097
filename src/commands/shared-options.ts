/** Options several commands share, defined once (commander only: keeps --help fast). */
import { Option, type Command } from 'commander';

export function addProviderOptions(cmd: Command, steps: readonly ('transcriber' | 'director' | 'images' | 'clips')[]): Command {
  const choices = { transcriber: ['auto', 'local', 'openai'], director: ['auto', 'local', 'openrouter', 'openai'], images: ['auto', 'local', 'replicate'], clips: ['auto', 'local', 'replicate'] };
  for (const step of steps) cmd.addOption(new Option(`--${step} <provider>`, `${step} provider (default: auto = the real one when its key is set)`).choices(choices[step]));
  return cmd;
}

export function addSceneBoundOptions(cmd: Command): Command {
  return cmd.option('--scene-min <seconds>', 'shortest scene (default 5, or OMVEE_SCENE_MIN)').option('--scene-max <seconds>', 'longest scene (default 10, or OMVEE_SCENE_MAX)');
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];
}
