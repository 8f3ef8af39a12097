/** Health checks: each says ok / warn / fail, what it saw, and how to fix it. */
export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  check: string;
  status: CheckStatus;
  detail: string;
  hint: string | null;
}

export async function runCheck(check: string, fn: () => Promise<Omit<CheckResult, 'check'>>): Promise<CheckResult> {
  try {
    return { check, ...(await fn()) };
  } catch (error) {
    const e = error as { message?: string; hint?: string };
    return { check, status: 'fail', detail: e.message ?? String(error), hint: e.hint ?? null };
  }
}

export function nodeCheck(version: string): Omit<CheckResult, 'check'> {
  const major = Number(version.replace(/^v/, '').split('.')[0]);
  return major >= 24
    ? { status: 'ok', detail: version, hint: null }
    : { status: 'fail', detail: `${version} (omvee needs 24 or newer)`, hint: 'install Node.js 24 LTS, or run `npm install` in the omvee folder' };
}
