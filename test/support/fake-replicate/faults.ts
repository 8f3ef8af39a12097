/**
 * A scriptable fault queue shared by the fake provider servers. Each fault names the route it
 * applies to and is consumed by the first matching request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type Fault =
  | { route: string; kind: 'status'; status: number; retryAfter?: string; body?: unknown; times?: number }
  | { route: string; kind: 'hang'; times?: number }
  | { route: string; kind: 'reset'; times?: number }
  /** the request is served (e.g. the prediction IS created), then the connection is cut before the answer */
  | { route: string; kind: 'drop'; times?: number };

export class FaultQueue {
  readonly queue: Fault[] = [];
  /** faults that fired, in order (route + kind/status) */
  readonly fired: string[] = [];

  push(...faults: Fault[]): void {
    for (const f of faults) {
      for (let i = 0; i < (f.times ?? 1); i++) this.queue.push({ ...f, times: 1 });
    }
  }

  /** Applies the next fault for this route, if any; returns true when the request was handled. */
  apply(route: string, req: IncomingMessage, res: ServerResponse, hung: Set<ServerResponse>): boolean {
    const i = this.queue.findIndex((f) => (f.route === route || f.route === '*') && f.kind !== 'drop');
    if (i < 0) return false;
    const [fault] = this.queue.splice(i, 1);
    if (!fault) return false;
    this.fired.push(`${route}:${fault.kind === 'status' ? fault.status : fault.kind}`);
    if (fault.kind === 'hang') {
      hung.add(res);
      return true;
    }
    if (fault.kind === 'reset' || fault.kind === 'drop') {
      req.socket.destroy();
      return true;
    }
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
    res.writeHead(fault.status, headers);
    res.end(JSON.stringify(fault.body ?? { detail: `injected ${fault.status}` }));
    return true;
  }
}

/** After the work was done: cut the connection instead of answering, when a 'drop' fault is queued. */
export function dropAfter(faults: FaultQueue, route: string, req: IncomingMessage): boolean {
  const i = faults.queue.findIndex((f) => f.route === route && f.kind === 'drop');
  if (i < 0) return false;
  faults.queue.splice(i, 1);
  faults.fired.push(`${route}:drop`);
  req.socket.destroy();
  return true;
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
