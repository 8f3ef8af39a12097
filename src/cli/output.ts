/**
 * How data reaches stdout: `--json` → JSON (objects for rows, arrays for lists);
 * a terminal → aligned table; otherwise → tab-separated values without a header (for scripts).
 */
import type { CliContext } from './context.ts';

export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
  /** right-align numbers in tables */
  align?: 'left' | 'right';
  /** an id: shortened on a terminal to the shortest prefix (8+ characters) that tells the rows apart */
  id?: boolean;
  /** long text that must be read whole (e.g. a fix to run): wrapped onto more lines instead of cut */
  wrap?: boolean;
  /** the value carries colour omvee painted (kept on a terminal; never user data) */
  painted?: boolean;
}

export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

/** Strip characters that would break a table or TSV line, or drive the terminal. */
function clean(text: string): string {
  return text.replace(/[\t\r\n]+/g, ' ').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

/** The same, keeping the colour escapes omvee itself painted (columns marked `painted`). */
function cleanPainted(text: string): string {
  return text
    .split(/(\u001b\[[0-9;]*m)/)
    .map((part) => (part.startsWith('\u001b[') ? part : clean(part)))
    .join('');
}

const ANSI = /\u001b\[[0-9;]*m/g;

/** Columns a text takes on a terminal: colour escapes take none. */
function displayWidth(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

/** Words broken into lines of at most `width` columns (a word longer than that is cut). */
function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let rest = word;
    while (displayWidth(rest) > width) {
      if (line) lines.push(line), (line = '');
      lines.push([...rest].slice(0, width).join(''));
      rest = [...rest].slice(width).join('');
    }
    if (!rest) continue;
    if (!line) line = rest;
    else if (displayWidth(line) + 1 + displayWidth(rest) <= width) line += ` ${rest}`;
    else lines.push(line), (line = rest);
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

/** Ids cut to the shortest prefix of at least `min` characters that keeps them apart. */
export function shortIds(ids: readonly string[], min = 8): Map<string, string> {
  const distinct = [...new Set(ids.filter((id) => id !== ''))];
  let length = min;
  while (length < 36 && new Set(distinct.map((id) => id.slice(0, length))).size < distinct.length) length += 1;
  return new Map(distinct.map((id) => [id, id.length > length ? id.slice(0, length) : id]));
}

/**
 * An aligned table that fits `maxWidth` columns: ids shortened to a unique prefix, and when the
 * rows are still too wide the widest text columns give way first (cut with "…", never below a
 * few characters), so no line wraps in the terminal.
 */
export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[], maxWidth = 200): string {
  const raw = rows.map((row) => columns.map((c) => (c.painted ? cleanPainted : clean)(formatCell(c.value(row)))));
  const short = columns.map((c, i) => (c.id ? shortIds(raw.map((r) => r[i]!)) : null));
  const cells = raw.map((r) => r.map((cell, i) => short[i]?.get(cell) ?? cell));
  const headers = columns.map((c) => c.header.toUpperCase());
  const widths = headers.map((h, i) => Math.max(displayWidth(h), ...cells.map((r) => displayWidth(r[i]!))));
  const gap = 2;
  const floor = (i: number) => Math.min(widths[i]!, Math.max(displayWidth(headers[i]!), columns[i]!.id ? 8 : 6));
  const fitted = [...widths];
  let over = fitted.reduce((a, b) => a + b, 0) + gap * (columns.length - 1) - maxWidth;
  while (over > 0) {
    // take a character from the widest column that can still give one
    let widest = -1;
    for (let i = 0; i < fitted.length; i += 1) if (fitted[i]! > floor(i) && (widest < 0 || fitted[i]! > fitted[widest]!)) widest = i;
    if (widest < 0) break;
    fitted[widest] = fitted[widest]! - 1;
    over -= 1;
  }
  const fit = (text: string, i: number): string => {
    const w = fitted[i]!;
    const plain = text.replace(ANSI, '');
    const shown = displayWidth(text) > w ? `${[...plain].slice(0, Math.max(0, w - 1)).join('')}…` : text;
    const pad = ' '.repeat(Math.max(0, w - displayWidth(shown)));
    return columns[i]!.align === 'right' ? pad + shown : shown + pad;
  };
  const lines = [headers.map(fit).join(' '.repeat(gap)).trimEnd()];
  for (const r of cells) {
    const parts = r.map((cell, i) => (columns[i]!.wrap && displayWidth(cell) > fitted[i]! ? wrapText(cell.replace(ANSI, ''), fitted[i]!) : [cell]));
    const height = Math.max(...parts.map((p) => p.length));
    for (let k = 0; k < height; k += 1) lines.push(parts.map((p, i) => fit(p[k] ?? '', i)).join(' '.repeat(gap)).trimEnd());
  }
  return `${lines.join('\n')}\n`;
}

export function renderTsv<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  return rows.map((row) => columns.map((c) => clean(formatCell(c.value(row)))).join('\t')).join('\n') + (rows.length ? '\n' : '');
}

/** Print a list of rows. `json` decides what `--json` prints (default: the rows themselves). */
export function printList<T>(ctx: CliContext, rows: readonly T[], columns: readonly Column<T>[], json: unknown = rows): void {
  if (ctx.json) {
    ctx.writeJson(json);
    return;
  }
  if (ctx.stdoutIsTTY) {
    if (rows.length === 0) {
      ctx.info('(none)');
      return;
    }
    ctx.write(renderTable(rows, columns, ctx.io.stdout.columns ?? 80));
  } else {
    ctx.write(renderTsv(rows, columns));
  }
}

/** Print one record as `field  value` lines (TSV when not a TTY), or the object with --json. */
export function printRecord(ctx: CliContext, fields: readonly [string, unknown][], json: unknown): void {
  if (ctx.json) {
    ctx.writeJson(json);
    return;
  }
  if (ctx.stdoutIsTTY) {
    const width = Math.max(...fields.map(([k]) => k.length));
    ctx.write(fields.map(([k, v]) => `${ctx.paint('1', k.padEnd(width))}  ${clean(formatCell(v))}`).join('\n') + '\n');
  } else {
    ctx.write(fields.map(([k, v]) => `${k}\t${clean(formatCell(v))}`).join('\n') + '\n');
  }
}

/** Print a single value for scripts (e.g. an id) or an object with --json. */
export function printValue(ctx: CliContext, text: string, json: unknown): void {
  if (ctx.json) ctx.writeJson(json);
  else ctx.write(`${text}\n`);
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '';
  const m = Math.floor(seconds / 60);
  const s = seconds - m * 60;
  return `${m}:${s.toFixed(2).padStart(5, '0')}`;
}

export function formatUsd(value: number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return `$${value.toFixed(value < 1 ? 4 : 2)}`;
}
