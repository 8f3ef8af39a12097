/**
 * A second omvee process for the token tests: opens the saved session, waits until a shared
 * start time (so two processes refresh at the same moment), asks for a token and prints a
 * fingerprint of it (never the token). argv: url anonKey configDir startAtMs
 */
import { createHash } from 'node:crypto';
import { openSessionTokens } from '../../src/store/supabase/session.ts';

const [url, anonKey, configDir, startAt] = process.argv.slice(2) as [string, string, string, string];
const tokens = await openSessionTokens({ url, anonKey, configDir });
if (!tokens) {
  process.stdout.write(JSON.stringify({ error: 'no session' }));
  process.exit(1);
}
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
try {
  const token = await tokens.token();
  process.stdout.write(JSON.stringify({ token: createHash('sha256').update(token).digest('hex').slice(0, 16) }));
} catch (error) {
  process.stdout.write(JSON.stringify({ error: (error as Error).message }));
  process.exit(1);
}
