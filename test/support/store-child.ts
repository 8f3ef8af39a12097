/**
 * A child process for the multi-process store tests (test/unit/store-concurrency.test.ts).
 *   node store-child.ts <mode> <home> <startAtMs> [arg]
 * modes: open                 open the store (migrations race), print schemaInfo
 *        create-projects <n>  insert n projects one by one, print how many
 *        claim-jobs <worker>  claim and complete jobs until none is left, print their ids
 * Every child waits until startAtMs so that all of them hit the database at the same moment.
 * Prints one JSON line on stdout; exits 1 with the error on stderr when anything fails.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { openLocalStore } from '../../src/store/local/local-store.ts';

const [mode, home, startAtText, arg] = process.argv.slice(2);

async function main(): Promise<unknown> {
  if (!mode || !home || !startAtText) throw new Error('usage: store-child.ts <mode> <home> <startAtMs> [arg]');
  await sleep(Math.max(0, Number(startAtText) - Date.now()));
  const store = await openLocalStore({ home });
  try {
    switch (mode) {
      case 'open':
        return await store.schemaInfo();
      case 'create-projects': {
        const n = Number(arg);
        for (let i = 0; i < n; i++) await store.insert('projects', { name: `pid ${process.pid} #${i}` });
        return { created: n };
      }
      case 'claim-jobs': {
        const workerId = String(arg);
        const claimed: string[] = [];
        for (;;) {
          const job = await store.claimJob({ workerId, leaseSeconds: 60 });
          if (!job) break;
          const done = await store.completeJob({ id: job.id, workerId, attempt: job.attempts }, { worker: workerId });
          if (!done) throw new Error(`could not complete ${job.id}`);
          claimed.push(job.id);
        }
        return { claimed };
      }
      default:
        throw new Error(`unknown mode ${mode}`);
    }
  } finally {
    await store.close();
  }
}

main().then(
  (output) => process.stdout.write(`${JSON.stringify(output)}\n`),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
    process.exitCode = 1;
  },
);
