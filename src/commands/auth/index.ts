import type { Command } from 'commander';
import type { ActionFactory } from '../../cli/action.ts';

export function registerAuth(program: Command, act: ActionFactory): void {
  program
    .command('login')
    .description('sign in to the Supabase project (SUPABASE_URL + SUPABASE_ANON_KEY) and keep the session')
    .option('--email <email>', 'the account email (asked on a TTY when missing)')
    .option('--password-stdin', 'read the password from stdin (for scripts; never pass it as a flag)')
    .option('--token-stdin', 'read an access token, or an access and a refresh token, from stdin')
    .addHelpText('after', `
Needs SUPABASE_URL and SUPABASE_ANON_KEY (env, .env or config file). On a terminal omvee asks for
the email and password; in scripts pass --email and pipe the password with --password-stdin.
Secrets are never taken from flags and never printed.

--token-stdin accepts, on stdin:
  - the session JSON Supabase returns ({"access_token": "...", "refresh_token": "..."}), or
  - "ACCESS_TOKEN REFRESH_TOKEN" (separated by a space or a newline), or
  - a bare access token (it cannot be refreshed: log in again when it expires).

The session (access + refresh token, not the password) is kept in <config dir>/supabase-session.json
(mode 0600) and refreshed when it is about to expire. \`omvee logout\` removes it.

Examples:
  $ omvee login
  $ printf '%s' "$PASSWORD" | omvee login --email me@example.com --password-stdin
  $ supabase-token-helper | omvee login --token-stdin --json | jq -r .user_id`)
    .action(act(() => import('./login.ts')));

  program
    .command('logout')
    .description('forget the Supabase session of `omvee login` (and revoke it when the server is reachable)')
    .addHelpText('after', `
Examples:
  $ omvee logout`)
    .action(act(() => import('./logout.ts')));
}
