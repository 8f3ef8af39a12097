import type { Column } from '../../cli/output.ts';
import { formatUsd } from '../../cli/output.ts';
import type { Job } from '../../core/model.ts';

export function elapsed(job: Job, now = Date.now()): string {
  if (!job.started_at) return '';
  const end = job.finished_at ? Date.parse(job.finished_at) : now;
  const s = Math.max(0, (end - Date.parse(job.started_at)) / 1000);
  return s < 60 ? `${s.toFixed(1)}s` : `${Math.floor(s / 60)}m${Math.round(s % 60)}s`;
}

export const JOB_COLUMNS: Column<Job>[] = [
  { header: 'id', value: (j) => j.id, id: true },
  { header: 'type', value: (j) => j.type },
  { header: 'status', value: (j) => j.status },
  { header: 'progress', value: (j) => `${j.progress}%`, align: 'right' },
  { header: 'attempts', value: (j) => `${j.attempts}/${j.max_attempts}`, align: 'right' },
  { header: 'project', value: (j) => j.project_id ?? '', id: true },
  { header: 'elapsed', value: (j) => elapsed(j), align: 'right' },
  { header: 'created', value: (j) => j.created_at.slice(0, 19).replace('T', ' ') },
];

export function jobFields(j: Job): [string, unknown][] {
  return [
    ['id', j.id],
    ['type', j.type],
    ['status', j.status],
    ['progress', `${j.progress}%`],
    ['project', j.project_id],
    ['attempts', `${j.attempts} of ${j.max_attempts}`],
    ['worker', j.locked_by],
    ['heartbeat', j.heartbeat_at],
    ['run_after', j.run_after],
    ['created', j.created_at],
    ['started', j.started_at],
    ['finished', j.finished_at],
    ['elapsed', elapsed(j)],
    ['cost', formatUsd(j.cost_usd)],
    ['payload', j.payload],
    ['result', j.result],
    ['error', j.error],
  ];
}
