/**
 * A chunk crossing from the parse worker to the writer (src/catalog-io/source.ts): packed, cloned as
 * postMessage clones it, unpacked, it is the chunk that was parsed, value for value.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { packChunk, parseChunks, unpackChunk } from '../../src/catalog-io/source.js';
import type { ImportRecord } from '../../src/catalog-io/parse.js';

async function parsed(records: object[]): Promise<ImportRecord[]> {
  const out: ImportRecord[] = [];
  const source = (async function* () {
    for (const [i, record] of records.entries()) yield { where: `line ${i + 1}`, record };
  })();
  for await (const chunk of parseChunks(source, 1_700_000_000_000)) out.push(...chunk);
  return out;
}

test('a packed chunk, cloned and unpacked, is the parsed chunk; repeated values cross once', async () => {
  const records = [
    ...Array.from({ length: 50 }, (_, i) => ({
      kind: 'timbre',
      key: `k${i}`,
      name: `Voice ${i}`,
      gender: i % 2 ? 'male' : 'female',
      languages: ['en-US'],
      tags: ['bench'],
      sortOrder: i,
    })),
    {
      kind: 'timbre',
      owner: 'gamma',
      key: 'odd',
      name: 'Odd',
      gender: 'neutral',
      languages: ['zh-CN', 'en-US'],
      emotions: ['calm'],
      expiresAt: '2030-01-01T00:00:00Z',
      status: 'retired',
      replacedBy: 'k1',
      image: './a.png',
    },
    { kind: 'digitalHuman', name: 'Iris', anchorCode: 'iris', actions: [{ code: 'wave', previewVideo: null }] },
    { kind: 'binding', digitalHuman: '7a0c2f4e-1b3d-4c5e-8f90-a1b2c3d4e5f6', timbre: 'k1' },
  ];
  const chunk = await parsed(records);
  const expected = structuredClone(chunk);
  const posted = structuredClone(packChunk(chunk));
  const rows = posted.chunk.filter((p) => p.kind === 'timbre').length;
  assert.equal(rows, 51);
  // 51 rows × 16 shared columns, but the 50 alike rows bring 10 distinct values and the odd one 6 more.
  assert.equal(new Set(posted.values).size, posted.values.length);
  assert.equal(posted.values.length, 16);
  assert.deepEqual(unpackChunk(posted), expected);
});
