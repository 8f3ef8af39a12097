/** Growable numeric columns, filled frame by frame without reallocating the whole history. */
export class GrowableF32 {
  #data: Float32Array;
  #length = 0;
  readonly width: number;

  /** `width` values per row (1 for a plain series). */
  constructor(width = 1, initialRows = 4096) {
    this.width = width;
    this.#data = new Float32Array(width * initialRows);
  }

  get rows(): number {
    return this.#length;
  }

  /** Reserves the next row and returns its offset into `data` (valid until the next push). */
  pushRow(): number {
    if ((this.#length + 1) * this.width > this.#data.length) {
      const bigger = new Float32Array(this.#data.length * 2);
      bigger.set(this.#data);
      this.#data = bigger;
    }
    const offset = this.#length * this.width;
    this.#length += 1;
    return offset;
  }

  push(value: number): void {
    this.#data[this.pushRow()] = value;
  }

  /** The live buffer (rows × width values are meaningful). */
  get data(): Float32Array {
    return this.#data;
  }

  /** A copy trimmed to the rows filled. */
  toArray(): Float32Array {
    return this.#data.slice(0, this.#length * this.width);
  }
}
