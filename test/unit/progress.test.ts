// Progress lines say how long a step has run and, once its pace means something, what is left.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PassThrough } from 'node:stream';
import { CliContext, type IO } from '../../src/cli/context.ts';
import { clockTime, describeProgress, startProgress } from '../../src/cli/progress.ts';

describe('progress text', () => {
  it('formats clock times', () => {
    assert.deepEqual([clockTime(0), clockTime(42_400), clockTime(126_000), clockTime(3_726_000)], ['0:00', '0:42', '2:06', '1:02:06']);
  });

  it('no clock in the first seconds; then elapsed, and an ETA from the pace once past 3 %', () => {
    assert.equal(describeProgress('clips 3/12', 25, 2000), 'clips 3/12 25%');
    assert.equal(describeProgress('clips 3/12', 25, 42_000), 'clips 3/12 25% · 0:42, ~2:06 left');
    assert.equal(describeProgress('rendering', 2, 30_000), 'rendering 2% · 0:30');
    assert.equal(describeProgress('rendering', 100, 30_000), 'rendering 100% · 0:30');
    assert.equal(describeProgress('waiting for the model', undefined, 65_000), 'waiting for the model · 1:05');
  });

  it('plain lines (CI, pipes) carry the times too, and a long step says how long it took', async () => {
    let t = 0;
    const stderr = { text: '', write(s: string) { this.text += s; return true; } };
    const io: IO = { stdout: { write: () => true }, stderr, stdin: new PassThrough(), env: { CI: 'true' }, cwd: '/' };
    const ctx = new CliContext(io, { json: false, yes: false, quiet: false, debug: false, color: false });
    const p = await startProgress(ctx, 'generating clips', () => t);
    t = 10_000;
    p.update('clips 1/4', 25);
    t = 20_000;
    p.update('clips 2/4', 50);
    t = 41_000;
    p.succeed('4 clips');
    assert.deepEqual(stderr.text.trimEnd().split('\n'), ['generating clips…', 'clips 1/4 25% · 0:10, ~0:30 left', 'clips 2/4 50% · 0:20, ~0:20 left', '✔ 4 clips in 0:41']);
  });
});
