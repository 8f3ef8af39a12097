// Naming projects the way people do: any case, a typo answered with "did you mean", a warning when
// a second project takes a name, and a picker on a terminal when a name matches several.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli, tempHome } from '../support/run-cli.ts';

let env: Record<string, string>;
let cleanup: () => Promise<void>;
before(async () => {
  ({ env, cleanup } = await tempHome());
  assert.equal((await runCli(['project', 'create', 'Easy Kill'], { env })).code, 0);
});
after(() => cleanup());

const show = async (ref: string, tty = false, answers: string[] = []) => runCli(['project', 'show', ref, '--json'], { env, tty, answers });

describe('project names', () => {
  it('match whatever the case and spacing', async () => {
    for (const ref of ['easy kill', 'EASY KILL', '  Easy   Kill ']) {
      const found = await show(ref);
      assert.equal(found.code, 0, `${ref}: ${found.stderr}`);
      assert.equal((JSON.parse(found.stdout) as { name: string }).name, 'Easy Kill');
    }
  });

  it('a typo is not found, with a suggestion', async () => {
    const typo = await runCli(['project', 'show', 'Easy Kil'], { env });
    assert.equal(typo.code, 1);
    assert.match(typo.stderr, /^error: project not found: Easy Kil\nhint: did you mean "Easy Kill"\?/);
    const nothingLike = await show('Completely Different');
    assert.doesNotMatch(nothingLike.stderr, /did you mean/);
  });

  it('a second project with the same name is made, with a warning', async () => {
    const twin = await runCli(['project', 'create', 'easy kill'], { env });
    assert.equal(twin.code, 0, twin.stderr);
    assert.match(twin.stderr, /warning: another project is already named "Easy Kill" \([0-9a-f]{8}\)/);
  });

  it('a name matching several: an error naming them in scripts, a picker on a terminal', async () => {
    // the exact spelling still names one
    assert.equal((JSON.parse((await show('Easy Kill')).stdout) as { name: string }).name, 'Easy Kill');
    const piped = await runCli(['project', 'show', 'EASY KILL'], { env });
    assert.equal(piped.code, 1);
    assert.match(piped.stderr, /matches several projects/);
    const all = JSON.parse((await runCli(['project', 'list', '--json'], { env })).stdout) as { id: string; name: string }[];
    const second = all.find((p) => p.name === 'easy kill')!;
    const picked = await show('EASY KILL', true, [second.id]);
    assert.equal(picked.code, 0, picked.stderr);
    assert.equal(picked.asked.length, 1);
    assert.equal(picked.asked[0]!.kind, 'select');
    assert.match(picked.asked[0]!.message, /matches several projects; which one\?/);
    assert.equal((JSON.parse(picked.stdout) as { id: string }).id, second.id);
  });
});
