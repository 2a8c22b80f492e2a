/**
 * The deep-offset index (src/store/lists.ts) against a model: a sorted array of keys. Taken from the
 * array, then moved by random rows entering and leaving, it must still send every offset to the right
 * row: seek past its checkpoint, skip its rows, and land on the row the sorted array has at that offset.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CHECKPOINT_EVERY, DeepIndex, compareKeys, type SortKey } from '../../src/store/lists.js';

const key = (n: number, id: string): SortKey => [n % 7, 1000 + (n % 3), id];

/** The position `locate` points at, read off the model: rows after the checkpoint, then `skip` more. */
function landed(rows: SortKey[], at: { seek?: SortKey; skip: number }): number {
  const first = at.seek ? rows.findIndex((r) => compareKeys(r, at.seek!) > 0) : 0;
  return (first < 0 ? rows.length : first) + at.skip;
}

function taken(rows: SortKey[]): DeepIndex {
  const keys = rows.filter((_, i) => (i + 1) % CHECKPOINT_EVERY === 0);
  return new DeepIndex(rows.length, keys, true);
}

test('taken from a list, every offset lands on its row', () => {
  const rows = Array.from({ length: 2000 }, (_, i) => key(i, `id${String(i).padStart(5, '0')}`)).sort(compareKeys);
  const index = taken(rows);
  for (let offset = 0; offset < rows.length; offset += 7) {
    const at = index.locate(offset);
    assert.equal(landed(rows, at), offset, `offset ${offset}`);
    assert.ok(at.skip < CHECKPOINT_EVERY, 'fewer rows than a block are walked');
  }
});

test('after rows enter and leave (checkpoint rows too), every offset still lands on its row, and the total follows', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 3000 }),
      fc.array(fc.record({ enter: fc.boolean(), n: fc.nat(10_000), pick: fc.nat() }), { maxLength: 300 }),
      (size, writes) => {
        let rows = Array.from({ length: size }, (_, i) => key(i, `a${i}`)).sort(compareKeys);
        const index = taken(rows);
        let fresh = 0;
        for (const w of writes) {
          if (w.enter || rows.length === 0) {
            const k = key(w.n, `b${fresh++}`);
            rows = [...rows, k].sort(compareKeys);
            index.move(k, 1);
          } else {
            const gone = rows[w.pick % rows.length];
            rows = rows.filter((r) => r !== gone);
            index.move(gone, -1);
          }
        }
        assert.equal(index.total, rows.length);
        if (index.worn) return; // a block outgrew its bound: the store takes the index again
        for (let offset = 0; offset < rows.length; offset += 13) assert.equal(landed(rows, index.locate(offset)), offset);
        if (rows.length) assert.equal(landed(rows, index.locate(rows.length - 1)), rows.length - 1);
      },
    ),
    { numRuns: 200 },
  );
});

test('a block that outgrows four times its size asks to be taken again', () => {
  const rows = Array.from({ length: 1024 }, (_, i) => key(i, `a${i}`)).sort(compareKeys);
  const index = taken(rows);
  for (let i = 0; i < 4 * CHECKPOINT_EVERY; i++) index.move([-1, 0, `z${i}`], 1);
  assert.equal(index.worn, true);
});
