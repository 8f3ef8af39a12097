import type { Command } from 'commander';
import type { ActionFactory } from '../../cli/action.ts';
import { addProviderOptions, addTakeOptions } from '../shared-options.ts';

export function registerClips(program: Command, act: ActionFactory): void {
  const clips = program.command('clips').description('a moving clip per scene, frame-exact; review with approve/reject')
    .addHelpText('after', `
Examples:
  $ omvee clips generate "Easy Kill"
  $ omvee clips reject "Easy Kill" 3 --note "too dark"
  $ omvee clips generate "Easy Kill" --scene 3 --new-take
  $ omvee clips approve "Easy Kill"  # every scene`);
  addTakeOptions(addProviderOptions(
    clips
      .command('generate')
      .description('make clips for scenes that have none (or a new take with --new-take)')
      .argument('<project>', 'project id, id prefix or name'),
    ['clips'],
  ))
    .addHelpText('after', `
Examples:
  $ omvee clips generate "Easy Kill"
  $ omvee clips generate 3f2a --scene 2-4 --new-take`)
    .action(act(() => import('./generate.ts')));
  clips
    .command('list')
    .description('list clip takes with their review status')
    .argument('<project>', 'project id, id prefix or name')
    .addHelpText('after', `
Examples:
  $ omvee clips list "Easy Kill"
  $ omvee clips list 3f2a --json | jq '.[] | select(.review == "rejected") | .scene'`)
    .action(act(() => import('./list.ts')));
  for (const decision of ['approve', 'reject'] as const) {
    const cmd = clips.command(decision);
    if (decision === 'approve') cmd.option('--force', 'with no scenes given, approve takes that were rejected too (by default they are skipped)');
    cmd
      .description(`${decision} the latest clip of scenes (all scenes when none given)`)
      .argument('<project>', 'project id, id prefix or name')
      .argument('[scenes...]', 'scene numbers (3, 2-5, 1,4)')
      .option('--note <text>', 'why (kept with the decision)')
      .option('--take <n>', 'a specific take instead of the latest')
      .addHelpText('after', `
Examples:
  $ omvee clips ${decision} "Easy Kill" 3 4 --note "${decision === 'approve' ? 'great motion' : 'too dark'}"
  $ omvee clips ${decision} 3f2a${decision === 'approve' ? '  # every scene (rejected takes are skipped)\n  $ omvee clips approve 3f2a --force  # every scene, rejected takes too' : ' 2-5'}`)
      .action(act(() => import(decision === 'approve' ? './approve.ts' : './reject.ts')));
  }
}
