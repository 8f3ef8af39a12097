/**
 * Signing in to and out of a Supabase project, for `omvee login` / `logout`: the commands' way
 * to the session adapter (src/store/supabase/session.ts), loaded only when used.
 */
export type { TokenPair } from '../store/supabase/session.ts';
import type { StoredSession, TokenPair } from '../store/supabase/session.ts';

export interface AuthTarget {
  url: string;
  anonKey: string;
  configDir: string;
}

export async function signInWithPassword(target: AuthTarget & { email: string; password: string }): Promise<StoredSession> {
  return (await import('../store/supabase/session.ts')).signIn(target);
}

export async function signInWithTokens(target: AuthTarget & { tokens: TokenPair }): Promise<StoredSession> {
  return (await import('../store/supabase/session.ts')).signInWithTokens(target);
}

export async function signOut(target: { url: string | undefined; anonKey: string | undefined; configDir: string }): Promise<boolean> {
  return (await import('../store/supabase/session.ts')).signOut(target);
}
