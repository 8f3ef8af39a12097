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
}

export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

/** Strip characters that would break a table or TSV line. */
function clean(text: string): string {
  return text.replace(/[\t\r\n]+/g, ' ').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

function displayWidth(text: string): number {
  return [...text].length;
}

export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[], maxWidth = 200): string {
  const cells = rows.map((row) => columns.map((c) => clean(formatCell(c.value(row)))));
  const headers = columns.map((c) => c.header.toUpperCase());
  const widths = headers.map((h, i) => Math.max(displayWidth(h), ...cells.map((r) => displayWidth(r[i]!))));
  // keep very wide tables readable: cap the widest text columns
  const cap = Math.max(12, Math.floor(maxWidth / Math.max(1, columns.length)) + 20);
  const capped = widths.map((w) => Math.min(w, cap));
  const fit = (text: string, i: number): string => {
    const w = capped[i]!;
    const chars = [...text];
    const shown = chars.length > w ? `${chars.slice(0, w - 1).join('')}…` : text;
    const pad = ' '.repeat(Math.max(0, w - displayWidth(shown)));
    return columns[i]!.align === 'right' ? pad + shown : shown + pad;
  };
  const lines = [headers.map(fit).join('  ').trimEnd(), ...cells.map((r) => r.map(fit).join('  ').trimEnd())];
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
    ctx.write(renderTable(rows, columns, ctx.io.stdout.columns ?? 200));
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
