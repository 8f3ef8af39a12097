/**
 * Batch files for `omvee run --batch FILE`: one song per line.
 *
 * JSON: an array of `{ "audio": "song.mp3", "lyrics"?: "song.lrc", "name"?: "…", "style"?: "…" }`.
 * CSV: a header naming the columns (`audio` required; `lyrics`, `name`, `style` optional, any
 * order), RFC 4180 quoting (`"a, b"`, `""` for a quote, line breaks inside quotes).
 * Relative paths are relative to the batch file's folder. Every problem is reported at once,
 * each with its line number, so a long file is fixed in one go.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { OmveeError } from '../errors.ts';
import { describeIssue, describeIssueAt } from '../zod-issues.ts';

export interface BatchItem {
  /** line of the CSV record (1-based, the header is line 1), or position in the JSON array (1-based) */
  line: number;
  /** absolute path of the song */
  audio: string;
  /** absolute path of the lyrics file, when given */
  lyrics?: string;
  /** project name: given, or the song's file name without extension */
  name: string;
  style?: string;
}

export type BatchFormat = 'json' | 'csv';

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const ItemSchema = z.strictObject({
  audio: z.string({ error: 'audio is required (the path of the song)' }).trim().min(1, 'audio is empty'),
  lyrics: optionalText,
  name: optionalText,
  style: optionalText,
});

const COLUMNS = ['audio', 'lyrics', 'name', 'style'] as const;

export function detectBatchFormat(path: string, text: string): BatchFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.csv') return 'csv';
  return text.trimStart().startsWith('[') ? 'json' : 'csv';
}

export async function readBatchFile(path: string): Promise<BatchItem[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new OmveeError(code === 'ENOENT' ? 'not_found' : 'invalid_input', `cannot read batch file ${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`, {
      hint: 'pass a JSON or CSV file: omvee run --batch songs.csv',
    });
  }
  return parseBatch(text, { path: resolve(path) });
}

/** Parse a batch file's text. `path` is the file's own path (for the format and relative paths). */
export function parseBatch(text: string, options: { path: string; format?: BatchFormat }): BatchItem[] {
  const format = options.format ?? detectBatchFormat(options.path, text);
  const raw = format === 'json' ? jsonRecords(text, options.path) : csvRecords(text, options.path);
  const folder = dirname(options.path);
  const problems: string[] = [];
  const items: BatchItem[] = [];
  for (const { line, value, problem } of raw) {
    if (problem !== undefined) {
      problems.push(`line ${line}: ${problem}`);
      continue;
    }
    const parsed = ItemSchema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push(`${format === 'csv' ? 'line' : 'item'} ${line}: ${issue.path.length ? describeIssueAt(issue) : describeIssue(issue)}`);
      }
      continue;
    }
    const at = (p: string) => (isAbsolute(p) ? p : resolve(folder, p));
    const audio = at(parsed.data.audio);
    items.push({
      line,
      audio,
      ...(parsed.data.lyrics ? { lyrics: at(parsed.data.lyrics) } : {}),
      name: parsed.data.name ?? basename(audio, extname(audio)),
      ...(parsed.data.style ? { style: parsed.data.style } : {}),
    });
  }
  if (problems.length > 0) {
    throw new OmveeError('invalid_input', `batch file ${options.path} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n  ${problems.slice(0, 20).join('\n  ')}${problems.length > 20 ? `\n  … and ${problems.length - 20} more` : ''}`, {
      hint: format === 'csv' ? 'the header is audio,lyrics,name,style (audio required); quote fields that contain commas' : 'each item is { "audio": "song.mp3", "lyrics"?: "…", "name"?: "…", "style"?: "…" }',
    });
  }
  if (items.length === 0) throw new OmveeError('invalid_input', `batch file ${options.path} lists no songs`, { hint: 'add at least one line with an audio path' });
  return items;
}

interface RawRecord {
  line: number;
  value?: unknown;
  problem?: string;
}

function jsonRecords(text: string, path: string): RawRecord[] {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new OmveeError('invalid_input', `batch file ${path} is not valid JSON: ${(error as Error).message}`, { hint: 'a JSON batch file is an array: [{ "audio": "song.mp3" }]' });
  }
  if (!Array.isArray(data)) throw new OmveeError('invalid_input', `batch file ${path} must hold a JSON array of songs`, { hint: 'e.g. [{ "audio": "song.mp3", "name": "Easy Kill" }]' });
  return data.map((value, i) => ({ line: i + 1, value }));
}

function csvRecords(text: string, path: string): RawRecord[] {
  const rows = parseCsv(text.replace(/^\uFEFF/, ''), path).filter((r) => !(r.fields.length === 1 && r.fields[0]!.trim() === ''));
  const header = rows.shift();
  if (!header) throw new OmveeError('invalid_input', `batch file ${path} is empty`, { hint: 'start with the header line: audio,lyrics,name,style' });
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const unknown = names.filter((n) => !(COLUMNS as readonly string[]).includes(n));
  if (unknown.length > 0 || !names.includes('audio') || new Set(names).size !== names.length) {
    throw new OmveeError('invalid_input', `batch file ${path}, line ${header.line}: the header must name the columns audio,lyrics,name,style (got: ${header.fields.join(',')})`, {
      hint: 'audio is required; lyrics, name and style are optional; each at most once',
    });
  }
  return rows.map(({ line, fields }) => {
    if (fields.length !== names.length) return { line, problem: `expected ${names.length} fields (${names.join(',')}), found ${fields.length}` };
    return { line, value: Object.fromEntries(names.map((n, i) => [n, fields[i]])) };
  });
}

/** RFC 4180 records with the line each starts on. */
export function parseCsv(text: string, path = 'the file'): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let afterQuote = false;
  let i = 0;
  const endField = () => {
    fields.push(field);
    field = '';
    afterQuote = false;
  };
  const endRecord = () => {
    endField();
    records.push({ line: recordLine, fields });
    fields = [];
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        afterQuote = true;
      } else {
        if (c === '\n') line += 1;
        field += c;
      }
      i += 1;
      continue;
    }
    if (c === ',') endField();
    else if (c === '\r' || c === '\n') {
      endRecord();
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      line += 1;
      recordLine = line;
    } else if (c === '"' && field === '' && !afterQuote) quoted = true;
    else if (afterQuote) {
      throw new OmveeError('invalid_input', `${path}, line ${line}: unexpected text after a closing quote`, { hint: 'inside a quoted field write a quote as ""' });
    } else field += c;
    i += 1;
  }
  if (quoted) throw new OmveeError('invalid_input', `${path}, line ${recordLine}: a quoted field is never closed`, { hint: 'close the quote, and write a quote inside a field as ""' });
  if (field !== '' || fields.length > 0 || afterQuote) endRecord();
  return records;
}
