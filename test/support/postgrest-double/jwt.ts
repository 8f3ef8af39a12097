/**
 * HS256 JSON Web Tokens with node:crypto, as Supabase signs them: the anon key, the service key
 * and user access tokens are all JWTs signed with the project's JWT secret.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type JwtClaims = Record<string, unknown> & { role?: string; sub?: string; exp?: number };

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

export function signJwt(claims: JwtClaims, secret: string): string {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

/** why a token was refused: each service words it its own way (see server.ts and storage.ts) */
export type JwtFailure = 'malformed' | 'signature' | 'expired';

export type VerifyResult = { ok: true; claims: JwtClaims } | { ok: false; reason: string; kind: JwtFailure };

export function verifyJwt(token: string, secret: string, nowSeconds = Date.now() / 1000): VerifyResult {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, kind: 'malformed', reason: 'JWSError (CompactDecodeError Invalid number of parts: Expected 3 parts; got ' + parts.length + ')' };
  const [head, body, sig] = parts as [string, string, string];
  const expected = createHmac('sha256', secret).update(`${head}.${body}`).digest();
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, kind: 'signature', reason: 'JWSError JWSInvalidSignature' };
  }
  let claims: JwtClaims;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as JwtClaims;
  } catch {
    return { ok: false, kind: 'malformed', reason: 'JWT claims are not JSON' };
  }
  if (typeof claims.exp === 'number' && claims.exp < nowSeconds) return { ok: false, kind: 'expired', reason: 'JWT expired' };
  return { ok: true, claims };
}
