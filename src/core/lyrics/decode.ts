/**
 * Turns the bytes of a lyrics file into text, refusing anything that is not text (an MP3 passed
 * by mistake, a Word document, a file in a legacy encoding) with a clear error.
 */
import { OmveeError } from '../errors.ts';
import { SUPPORTED_FORMATS_HINT } from './types.ts';

/** Share of control characters above which a "text" is considered binary. */
const MAX_CONTROL_SHARE = 0.05;

function notText(name: string, why: string): OmveeError {
  return new OmveeError('invalid_input', `${name} is not a text lyrics file (${why})`, {
    hint: SUPPORTED_FORMATS_HINT,
  });
}

function countControlChars(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0x7f) n++;
  }
  return n;
}

/**
 * Decodes UTF-8 (with or without BOM) or BOM-marked UTF-16, strips the BOM and normalises line
 * endings (CRLF, CR) to LF.
 */
export function decodeLyricsText(input: Uint8Array | string, fileName?: string): string {
  const name = fileName ? `"${fileName}"` : 'the lyrics input';
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    const b = input;
    let encoding: 'utf-8' | 'utf-16le' | 'utf-16be' = 'utf-8';
    if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) encoding = 'utf-16le';
    else if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) encoding = 'utf-16be';
    if (encoding === 'utf-8' && b.includes(0)) throw notText(name, 'it contains NUL bytes');
    try {
      text = new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(b);
    } catch {
      throw notText(name, encoding === 'utf-8' ? 'it is not valid UTF-8' : `it is not valid ${encoding.toUpperCase()}`);
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\u0000')) throw notText(name, 'it contains NUL characters');
  const control = countControlChars(text);
  if (text.length > 0 && control / text.length > MAX_CONTROL_SHARE) {
    throw notText(name, 'it is mostly control characters');
  }
  return text.replace(/\r\n?/g, '\n');
}
