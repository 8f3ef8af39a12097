/** Reading a secret piped on stdin (never from a flag value). */
import type { CliContext } from '../../cli/context.ts';
import { OmveeError } from '../../core/errors.ts';

const MAX_BYTES = 64 * 1024;

export async function readStdinSecret(ctx: CliContext, what: string, flag: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.io.stdin) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > MAX_BYTES) throw new OmveeError('invalid_input', `${flag}: stdin holds more than ${MAX_BYTES / 1024} KB; expected ${what}`);
    chunks.push(buf);
  }
  // only the line ending a pipe or `echo` adds is dropped: spaces may belong to a password
  const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (text === '') {
    throw new OmveeError('usage', `${flag}: nothing on stdin; expected ${what}`, { hint: `pipe it in, e.g. printf '%s' "$SECRET" | omvee login ${flag} …` });
  }
  return text;
}
