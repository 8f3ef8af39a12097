/** Who is running a job: an id naming this machine and process, and whether such an omvee still runs. */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

export function newWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * Whether the omvee named by a worker id (see newWorkerId) still runs: answered only for
 * processes on this machine (a `kill -9`ed run whose job lease has not expired yet is gone);
 * undefined for other machines or ids of another shape.
 */
export function localWorkerAlive(workerId: string): boolean | undefined {
  const parts = workerId.split(':');
  if (parts.length < 3) return undefined;
  const pid = Number(parts[parts.length - 2]);
  const host = parts.slice(0, -2).join(':');
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return undefined;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
