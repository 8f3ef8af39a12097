// A running prediction's progress comes from the tqdm lines its model prints to the logs
// (read with the replicate SDK's parseProgressFromLogs).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { progressFromLogs } from '../../src/providers/replicate/log-progress.ts';

describe('progress from prediction logs', () => {
  it('reads the last tqdm line (steps done / total)', () => {
    const logs = [
      'Using seed: 42',
      '  0%|          | 0/50 [00:00<?, ?it/s]',
      ' 46%|████▌     | 23/50 [00:12<00:14,  1.83it/s]',
    ].join('\n');
    assert.equal(progressFromLogs(logs), 0.46);
  });

  it('tqdm redraws with carriage returns on one line', () => {
    assert.equal(progressFromLogs(' 10%|█         | 5/50 [00:02<00:20]\r 20%|██        | 10/50 [00:04<00:16]'), 0.2);
  });

  it('nothing to read: null, never a guess', () => {
    assert.equal(progressFromLogs(''), null);
    assert.equal(progressFromLogs(null), null);
    assert.equal(progressFromLogs('loading weights\nrunning inference'), null);
    assert.equal(progressFromLogs('resolution 1280x720 at 24 fps'), null);
    assert.equal(progressFromLogs('progress 30%'), null);
  });

  it('stays within 0..1 and reads only the tail of huge logs', () => {
    assert.equal(progressFromLogs('x'.repeat(5_000_000) + '\n100%|██████████| 50/50 [00:30<00:00]'), 1);
    assert.equal(progressFromLogs('250%|█| 60/50 [00:30<00:00]'), 1);
  });
});
