/** Pixel checks shared by the caption tests: where two gray frames differ, and whether OCR is there. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
  count: number;
}

/** The bounding box of pixels that differ by more than `threshold` between two gray frames of w×h. */
export function diffBox(a: Buffer, b: Buffer, w: number, h: number, threshold: number): Box {
  let [left, top, right, bottom, count] = [w, h, -1, -1, 0];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (Math.abs(a[y * w + x]! - b[y * w + x]!) > threshold) {
        count += 1;
        if (x < left) left = x;
        if (x > right) right = x;
        if (y < top) top = y;
        if (y > bottom) bottom = y;
      }
    }
  }
  return { left, top, right: right + 1, bottom: bottom + 1, count };
}

/** tesseract on PATH (Debian's tesseract-ocr, which bin/setup installs): OCR checks run, else they are reported as skipped. */
export const hasTesseract = await promisify(execFile)('tesseract', ['--version']).then(
  () => true,
  () => false,
);
