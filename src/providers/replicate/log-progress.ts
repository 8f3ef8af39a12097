/**
 * How far a running prediction is, read from its logs. Replicate's API has no progress field; cog
 * models commonly run their sampling loop under tqdm (` 46%|████▌     | 23/50 [00:12<00:14]`), and
 * the replicate SDK parses the last such line (`parseProgressFromLogs`, replicate-javascript#207).
 * Around it: only the logs' tail is read (a model may print megabytes), tqdm's carriage-return
 * redraws become lines, and the fraction is steps done / total. No such line: null, never a guess.
 */
import { parseProgressFromLogs } from 'replicate';

const TAIL_CHARS = 4096;

export function progressFromLogs(logs: string | null | undefined): number | null {
  if (!logs) return null;
  const tail = (logs.length > TAIL_CHARS ? logs.slice(-TAIL_CHARS) : logs).replace(/\r/g, '\n');
  const parsed = parseProgressFromLogs(tail);
  if (!parsed) return null;
  const fraction = parsed.total > 0 ? parsed.current / parsed.total : parsed.percentage;
  return Number.isFinite(fraction) ? Math.max(0, Math.min(1, fraction)) : null;
}
