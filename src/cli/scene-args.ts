/** Scene numbers typed by a person (1-based), from arguments or --scene flags. */
import { OmveeError } from '../core/errors.ts';

export function parseSceneNumbers(values: readonly string[] | undefined): number[] | undefined {
  if (!values || values.length === 0) return undefined;
  const out: number[] = [];
  for (const raw of values.flatMap((v) => v.split(','))) {
    const text = raw.trim();
    if (text === '') continue;
    const range = /^(\d+)-(\d+)$/.exec(text);
    if (range) {
      const [a, b] = [Number(range[1]), Number(range[2])];
      if (a < 1 || b < a || b - a > 10000) throw new OmveeError('usage', `invalid scene range "${text}"`, { hint: 'scenes are numbered from 1, e.g. 3 or 2-5' });
      for (let n = a; n <= b; n += 1) out.push(n);
      continue;
    }
    if (!/^\d+$/.test(text) || Number(text) < 1) throw new OmveeError('usage', `invalid scene number "${text}"`, { hint: 'scenes are numbered from 1 (see: omvee scenes list <project>)' });
    out.push(Number(text));
  }
  return [...new Set(out)];
}
