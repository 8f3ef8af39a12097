/**
 * A job that runs through the queue as quickly as a worker next to the database could run it:
 * queued, claimed, at 50 %, completed — four transactions (four commits, four Realtime changes)
 * back to back as service_role, with nothing else on the connection in between. HTTP to the
 * double costs tens of milliseconds per call, which would make a "short" job as long as the
 * double is slow.
 */
import type { Job } from '../../../src/core/model.ts';
import type { PostgrestDouble } from './server.ts';

export async function runShortJob(double: PostgrestDouble, projectId: string, n: number): Promise<Job> {
  const row = await double.db.exclusive(async (pg) => {
    const asService = async <T,>(sql: string, params: unknown[]): Promise<T> =>
      pg.transaction(async (tx) => {
        await tx.exec(`select set_config('request.jwt.claims', '{"role":"service_role"}', true); set local role service_role`);
        return (await tx.query<T>(sql, params)).rows[0]!;
      });
    const queued = await asService<{ id: string }>(`insert into public.jobs (type, project_id, payload) values ('generate_images', $1, $2) returning id`, [projectId, { n }]);
    await asService(`select * from public.claim_job('quick', null, null, $1, 60)`, [queued.id]);
    await asService(`select public.update_job_progress($1, 'quick', 1, 50, null)`, [queued.id]);
    return asService<Record<string, unknown>>(`select * from public.complete_job($1, 'quick', 1, $2)`, [queued.id, { n }]);
  });
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])) as unknown as Job;
}
