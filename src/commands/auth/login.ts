import { z } from 'zod';
import type { InputOf } from '../../cli/action.ts';
import type { CliContext } from '../../cli/context.ts';
import { OmveeError, usageError } from '../../core/errors.ts';
import { printRecord } from '../../cli/output.ts';
import { askSecret, askText } from '../../cli/prompts.ts';
import { readStdinSecret } from './stdin.ts';
import { loginTarget } from './supabase-env.ts';

export const Options = z.object({
  email: z.string().optional(),
  passwordStdin: z.boolean().optional(),
  tokenStdin: z.boolean().optional(),
}).strict();

const EMAIL = /^[^\s@]+@[^\s@]+$/;

export async function run(ctx: CliContext, { options: opts }: InputOf<typeof Options>): Promise<void> {
  if (opts.passwordStdin && opts.tokenStdin) throw usageError('--password-stdin and --token-stdin cannot be used together', 'pick one way to sign in');
  if (opts.tokenStdin && opts.email !== undefined) throw usageError('--email is not used with --token-stdin', 'the token says who you are; drop --email');
  const target = await loginTarget(ctx, 'login');

  let session;
  if (opts.tokenStdin) {
    const [{ parseTokenInput }, { signInWithTokens }, text] = await Promise.all([
      import('./token-session.ts'),
      import('../../app/auth.ts'),
      readStdinSecret(ctx, 'an access token (and a refresh token)', '--token-stdin'),
    ]);
    session = await signInWithTokens({ ...target, tokens: parseTokenInput(text) });
  } else {
    const email = (opts.email ?? (await askText(ctx, 'Email', { flag: '--email' }))).trim();
    if (!EMAIL.test(email)) throw new OmveeError('invalid_input', `"${email}" is not an email address`, { hint: 'pass the email of your Supabase account with --email' });
    const password = opts.passwordStdin
      ? await readStdinSecret(ctx, 'the password', '--password-stdin')
      : await askSecret(ctx, `Password for ${email}`, { flag: '--password-stdin' });
    if (password === '') throw new OmveeError('invalid_input', 'the password is empty');
    const { signInWithPassword } = await import('../../app/auth.ts');
    session = await signInWithPassword({ ...target, email, password });
  }
  ctx.success(`signed in to ${session.url} as ${session.user.email ?? session.user.id}`);
  const expires = new Date(session.expiresAt * 1000).toISOString();
  printRecord(
    ctx,
    [
      ['email', session.user.email],
      ['user_id', session.user.id],
      ['url', session.url],
      ['expires_at', expires],
    ],
    { email: session.user.email, user_id: session.user.id, url: session.url, expires_at: expires, refreshable: session.refreshToken !== '' },
  );
}
