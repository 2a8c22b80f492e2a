/**
 * The catalog order and the deep-offset index of a list.
 *
 * Every list has one order: (sortOrder, createdAt, id). The vendors page by offset (ZEGO up to 1,000,000),
 * and a plain OFFSET walks every row before it, so a list keeps a checkpoint: the sort key of every
 * CHECKPOINT_EVERY-th row. A page seeks past the nearest checkpoint before its offset (an index range
 * seek) and walks fewer rows than that.
 *
 * Checkpoints are taken from a snapshot, one query over the list. After that the index follows this
 * process's writes instead of being taken again: a row entering or leaving the list changes the size of
 * the block (the rows between two checkpoints) its key falls in, and a Fenwick tree over the block sizes
 * turns an offset into (checkpoint, rows to skip) in O(log blocks). A write therefore costs readers
 * nothing, and is at its place at every offset as soon as it commits. A checkpoint stays a valid seek
 * anchor when its own row leaves the list: positions count rows with a key at or before it.
 */

export const CHECKPOINT_EVERY = 256;

/** A sort key of the catalog order: (sortOrder, createdAt, id). */
export type SortKey = [number, number, string];

/** The catalog order on sort keys; ids compare by code unit, as both engines compare them (collate "C"). */
export function compareKeys(a: SortKey, b: SortKey): number {
  return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);
}

/** Past this many rows in one block (from writes landing together), the index asks to be taken again. */
const DRIFT = 4 * CHECKPOINT_EVERY;

export class DeepIndex {
  /** Fenwick tree over block sizes: block j ends at checkpoint j; block keys.length is the tail after the last. */
  private tree: Float64Array;
  private sizes: number[];
  total: number;
  /** Set when a block grew past DRIFT or a count went wrong: take the index again at the next read. */
  worn = false;

  constructor(
    total: number,
    /** keys[j]: the sort key of the row at position (j + 1) × CHECKPOINT_EVERY − 1, when taken. */
    private keys: SortKey[],
    /** Whether the checkpoints were taken (a list read only near its start has its total alone). */
    readonly complete: boolean,
  ) {
    this.total = total;
    const sizes = new Array<number>(keys.length + 1).fill(CHECKPOINT_EVERY);
    sizes[keys.length] = total - keys.length * CHECKPOINT_EVERY;
    this.sizes = sizes;
    this.tree = this.build();
  }

  private build(): Float64Array {
    const tree = new Float64Array(this.sizes.length + 1);
    this.tree = tree;
    for (let j = 0; j < this.sizes.length; j++) this.bump(j, this.sizes[j]);
    return tree;
  }

  /** The blocks grown past DRIFT rows (rows landing together, an import's), to be walked again (split). */
  overgrown(): number[] {
    const out: number[] = [];
    this.sizes.forEach((n, j) => n > DRIFT && out.push(j));
    return out;
  }

  /** Whether a count went wrong (a block or the total below zero): the index must be taken again. */
  get broken(): boolean {
    return this.total < 0 || this.sizes.some((n) => n < 0);
  }

  /** Block j's rows: those after `after` up to and including `through` (undefined: from the start, to the end). */
  bounds(j: number): { after?: SortKey; through?: SortKey } {
    return { after: this.keys[j - 1], through: this.keys[j] };
  }

  /**
   * Block j walked again: its rows now have the checkpoints `keys` (every CHECKPOINT_EVERY-th of them) and
   * `rest` rows after the last one (up to the block's own checkpoint, or the list's end).
   */
  split(j: number, keys: SortKey[], rest: number): void {
    const size = keys.length * CHECKPOINT_EVERY + rest;
    this.total += size - this.sizes[j];
    this.keys = [...this.keys.slice(0, j), ...keys, ...this.keys.slice(j)];
    this.sizes = [...this.sizes.slice(0, j), ...keys.map(() => CHECKPOINT_EVERY), rest, ...this.sizes.slice(j + 1)];
    this.build();
    this.worn = this.broken || this.sizes.some((n) => n > DRIFT);
  }

  get checkpoints(): number {
    return this.keys.length;
  }

  /** The block a row with key `k` belongs to: the first checkpoint at or after it, or the tail. */
  private blockOf(k: SortKey): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareKeys(this.keys[mid], k) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private bump(j: number, by: number): void {
    for (let i = j + 1; i < this.tree.length; i += i & -i) this.tree[i] += by;
  }

  /** A row with key `k` entered (+1) or left (−1) the list. */
  move(k: SortKey, by: 1 | -1): void {
    const j = this.blockOf(k);
    this.sizes[j] += by;
    this.total += by;
    this.bump(j, by);
    // An index of the total alone (no checkpoints) has nothing to drift.
    if (this.sizes[j] < 0 || this.total < 0 || (this.complete && this.sizes[j] > DRIFT)) this.worn = true;
  }

  /**
   * Where a page at `offset` starts: after checkpoint `seek` (undefined: from the list's start), skipping
   * `skip` rows. The checkpoint is the last one with at most `offset` rows at or before it.
   */
  locate(offset: number): { seek?: SortKey; skip: number } {
    // Binary lifting over the Fenwick tree: the largest prefix of blocks holding at most `offset` rows.
    let at = 0;
    let rows = 0;
    for (let step = 1 << Math.floor(Math.log2(this.tree.length)); step > 0; step >>= 1) {
      const next = at + step;
      if (next < this.tree.length && rows + this.tree[next] <= offset) {
        at = next;
        rows += this.tree[next];
      }
    }
    // Blocks 0 … at−1 hold `rows` ≤ offset rows: block at−1 ends at checkpoint at−1.
    const j = Math.min(at, this.keys.length) - 1;
    if (j < 0) return { skip: offset };
    return { seek: this.keys[j], skip: offset - this.prefix(j) };
  }

  /** Rows in blocks 0 … j. */
  private prefix(j: number): number {
    let sum = 0;
    for (let i = j + 1; i > 0; i -= i & -i) sum += this.tree[i];
    return sum;
  }
}
