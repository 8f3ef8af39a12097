/** Options several commands share, defined once (commander only: keeps --help fast). */
import { Option, type Command } from 'commander';
import { providerChoices, type ProviderSlot } from '../providers/registry.ts';

export function addProviderOptions(cmd: Command, slots: readonly ProviderSlot[]): Command {
  for (const slot of slots) cmd.addOption(new Option(`--${slot} <provider>`, `${slot} provider (default: auto = the real one when its key is set)`).choices(providerChoices(slot)));
  return cmd;
}

export function addSceneBoundOptions(cmd: Command): Command {
  return cmd.option('--scene-min <seconds>', 'shortest scene (default 5, or OMVEE_SCENE_MIN)').option('--scene-max <seconds>', 'longest scene (default: the clip model’s longest clip, 10 for local clips; or OMVEE_SCENE_MAX)');
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];
}

/** images/clips generate: which scenes, new takes, concurrency, spending, --detach. */
export function addTakeOptions(cmd: Command): Command {
  return cmd
    .option('--scene <n>', 'only these scenes (repeatable; 3, 2-5, 1,4)', collect)
    .option('--new-take', 'make a new take even where one exists')
    .option('--concurrency <n>', 'parallel generations')
    .option('--dry-run', 'print what the paid providers would cost, then stop (nothing is stored or paid)')
    .option('--max-cost <usd>', 'refuse when the estimate is over USD, and stop before spending more than USD on this project')
    .option('--cancel-on-exit', 'on Ctrl-C, cancel in-flight predictions instead of leaving them to re-attach')
    .option('--detach', 'only enqueue the job (run it with omvee worker) and print its id');
}

/** --aspect, --resolution, --fps, --captions, --visualizer: the video a project makes. */
export function addVideoOptions(cmd: Command): Command {
  return cmd
    .option('--aspect <ratio>', 'frame shape: 16:9, 9:16 (Shorts, Reels, TikTok), 1:1 or 4:5 (default 16:9)')
    .option('--resolution <p>', 'short side of the frame: 480p, 720p or 1080p (default 720p)')
    .option('--fps <n>', 'frame rate: 24, 25 or 30 (default 30)')
    .option('--captions <style>', 'lyrics on screen: karaoke, line, minimal or none (default: karaoke offline, none with AI images)')
    .option('--visualizer <style>', 'audio-reactive layer: bars, wave or none (default none)');
}
