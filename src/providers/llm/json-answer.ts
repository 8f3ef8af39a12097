/**
 * Tolerant extraction of a JSON value from an LLM's answer: plain JSON, ```json fences,
 * prose before/after the JSON. Providers without strict structured output (many OpenRouter
 * models) answer in all of these shapes.
 */

/** End index (exclusive) of the balanced JSON object/array starting at `start`, or -1. */
function balancedEnd(text: string, start: number): number {
  const stack: string[] = [];
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') stack.push(c === '{' ? '}' : ']');
    else if (c === '}' || c === ']') {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return i + 1;
    }
  }
  return -1;
}

export type JsonAnswer = { ok: true; value: unknown } | { ok: false; error: string };

export function extractJson(content: string | null | undefined): JsonAnswer {
  const text = (content ?? '').trim();
  if (!text) return { ok: false, error: 'the answer was empty' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    // fall through to the tolerant paths
  }
  const candidates: string[] = [];
  for (const m of text.matchAll(/```(?:json|JSON)?\s*\n?([\s\S]*?)```/g)) candidates.push(m[1]!.trim());
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '{' && text[i] !== '[') continue;
    const end = balancedEnd(text, i);
    if (end > 0) {
      candidates.push(text.slice(i, end));
      i = end - 1;
    }
  }
  for (const c of candidates) {
    try {
      return { ok: true, value: JSON.parse(c) };
    } catch {
      // try the next one
    }
  }
  return { ok: false, error: `the answer was not JSON (it began: ${JSON.stringify(text.slice(0, 80))})` };
}

/**
 * The complete objects of the array under `key` in an answer that was cut off mid-way
 * (finish_reason "length"): `{"prompts":[{…},{…},{"scene_ind` gives the first two. The
 * array is found after `"key"` (or, failing that, at the first `[`); fences are ignored.
 */
export function completeItems(content: string | null | undefined, key: string): unknown[] {
  const text = content ?? '';
  const named = new RegExp(`"${key}"\\s*:\\s*\\[`).exec(text);
  const open = named ? named.index + named[0].length - 1 : text.indexOf('[');
  if (open < 0) return [];
  const items: unknown[] = [];
  let i = open + 1;
  for (;;) {
    while (i < text.length && /[\s,]/.test(text[i]!)) i++;
    if (text[i] !== '{') break;
    const end = balancedEnd(text, i);
    if (end < 0) break;
    try {
      items.push(JSON.parse(text.slice(i, end)));
    } catch {
      break;
    }
    i = end;
  }
  return items;
}
