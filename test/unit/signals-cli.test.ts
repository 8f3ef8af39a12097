/**
 * The pieces of signal handling that need no process: the exit code that follows the received
 * signal, and the remembered --out of an interrupted run (the e2e suite in
 * test/e2e/signals.test.ts drives the real binary).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { OmveeError } from '../../src/core/errors.ts';
import { ExitCode, SignalReceived, exitCodeOf, exitCodeOfSignal, interruptedExitCode } from '../../src/cli/exit-codes.ts';
import { forgetOut, recallOut, rememberOut } from '../../src/app/remembered-out.ts';

describe('exit code of a stop by a signal', () => {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    it(`${signal} → ${code} (128 + its number, as shells report it)`, () => {
      assert.equal(exitCodeOfSignal(signal), code);
      const abort = new AbortController();
      abort.abort(new SignalReceived(signal));
      assert.equal(exitCodeOf(new OmveeError('interrupted', 'interrupted'), abort.signal), code);
      assert.equal(interruptedExitCode(abort.signal), code);
    });
  }
  it('an interruption without a signal (a declined prompt, an abort from code) is 130', () => {
    assert.equal(exitCodeOf(new OmveeError('interrupted', 'interrupted')), ExitCode.interrupted);
    const abort = new AbortController();
    abort.abort(new Error('stopped'));
    assert.equal(exitCodeOf(new OmveeError('interrupted', 'interrupted'), abort.signal), ExitCode.interrupted);
  });
  it('other errors keep their codes even after a signal', () => {
    const abort = new AbortController();
    abort.abort(new SignalReceived('SIGTERM'));
    assert.equal(exitCodeOf(new OmveeError('usage', 'bad flag'), abort.signal), ExitCode.usage);
    assert.equal(exitCodeOf(new OmveeError('job_failed', 'boom'), abort.signal), ExitCode.failure);
  });
});

describe('remembered --out', () => {
  const id = '3f2a9c1e-0000-4000-8000-000000000001';
  const withHome = async (fn: (home: string) => Promise<void>) => {
    const home = await mkdtemp(path.join(tmpdir(), 'omvee-out-'));
    try {
      await fn(home);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  };

  it('remembers, is replaced by a newer --out, and is forgotten', () =>
    withHome(async (home) => {
      assert.equal(await recallOut(home, id), undefined);
      await rememberOut(home, id, '/videos/a.mp4');
      assert.equal(await recallOut(home, id), '/videos/a.mp4');
      await rememberOut(home, id, '/videos/b.mp4');
      assert.equal(await recallOut(home, id), '/videos/b.mp4');
      assert.equal(await recallOut(home, 'another-project'), undefined, 'per project');
      await forgetOut(home, id);
      assert.equal(await recallOut(home, id), undefined);
      await forgetOut(home, id); // forgetting twice is fine
    }));

  it('is private to its owner (0600 in a 0700 folder), whatever the umask', () =>
    withHome(async (home) => {
      const umask = process.umask(0);
      try {
        await rememberOut(home, id, '/videos/a.mp4');
      } finally {
        process.umask(umask);
      }
      assert.equal((await stat(path.join(home, 'resume'))).mode & 0o777, 0o700);
      assert.equal((await stat(path.join(home, 'resume', `${id}.json`))).mode & 0o777, 0o600);
      assert.match(await readFile(path.join(home, 'resume', `${id}.json`), 'utf8'), /"out":"\/videos\/a\.mp4"/);
    }));

  it('a damaged or doctored file is ignored rather than trusted', () =>
    withHome(async (home) => {
      await rememberOut(home, id, '/videos/a.mp4');
      const file = path.join(home, 'resume', `${id}.json`);
      for (const text of ['{"out":', '{"out":"relative.mp4"}', '{"out":"/etc/passwd"}', '{"out":42}', 'null']) {
        await writeFile(file, text);
        assert.equal(await recallOut(home, id), undefined, text);
      }
    }));

  it('refuses relative paths and ids that are not plain names', () =>
    withHome(async (home) => {
      await assert.rejects(rememberOut(home, id, 'videos/a.mp4'), /absolute/);
      await assert.rejects(rememberOut(home, '../escape', '/videos/a.mp4'), /unexpected project id/);
      assert.equal(await recallOut(home, '../../etc/x'), undefined, 'nothing is read outside the folder');
    }));
});
