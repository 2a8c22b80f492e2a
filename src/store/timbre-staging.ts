import { sql } from 'kysely';
import { PUBLIC_OWNER as PUBLIC } from '../core/types.js';
import { copyValue } from './engine.js';
import { TIMBRE_COLUMNS, type TimbreValues } from './rows.js';
import { type WriteTransaction } from './base.js';

/** A timbre row staged for a bulk write: its values, its place in the load, whether the source gave its id. */
export interface StagedTimbre {
  row: TimbreValues;
  seq: number;
  idGiven: boolean;
}

/** What settling the staged timbres did: rows written, and those left out (with why). */
export interface StageSettled {
  written: number;
  /**
   * Each row written: its place in the load, the id it was written under (a row without an id takes its
   * key's stored one), whether it was inserted, and where an updated row was before (ListedRow fields).
   */
  rows: { seq: number; id: string; inserted: boolean; before?: { status: string; sortOrder: number; createdAt: number } }[];
  skipped: { seq: number; reason: 'shadows' | 'shadowed' | 'other-owner'; key: string; id: string }[];
}

/** A staged row the load cannot write: it stops the load (a given id against a stored key, a key given two ids). */
export class StageError extends Error {
  constructor(
    readonly seq: number,
    message: string,
  ) {
    super(message);
  }
}

export const STAGE = 'timbrel_stage';

/**
 * The PostgreSQL bulk load of timbres: rows sent by COPY into a staging table of the load's transaction,
 * then checked and written set by set (keys, scopes, owners) instead of a lookup per chunk.
 */
export class TimbreStaging {
  /** Bulk-load transactions whose staging table exists (stageRows). */
  private readonly staging = new WeakSet<WriteTransaction>();

  /**
   * Timbre rows into the transaction's staging table (PostgreSQL), to be checked and written together by
   * settleStaged: a bulk load sends its rows by COPY, and the store resolves keys, scopes and owners
   * set by set rather than a lookup per chunk.
   */
  async stageRows(w: WriteTransaction, rows: readonly StagedTimbre[]): Promise<void> {
    if (!w.copyFrom) throw new Error('stageRows: this engine has no COPY');
    if (!rows.length) return;
    if (!this.staging.has(w)) {
      // LIKE copies the columns and NOT NULLs, not the indexes: the table takes rows as fast as COPY sends them.
      await sql`CREATE TEMP TABLE ${sql.table(STAGE)} (LIKE timbres, seq integer NOT NULL, id_given boolean NOT NULL) ON COMMIT DROP`.execute(w.db);
      this.staging.add(w);
    }
    let text = '';
    for (const { row, seq, idGiven } of rows) {
      for (const v of row) text += `${copyValue(v)}\t`;
      text += `${seq}\t${idGiven ? 't' : 'f'}\n`;
    }
    await w.copyFrom(`COPY ${STAGE} (${TIMBRE_COLUMNS.join(', ')}, seq, id_given) FROM STDIN`, text);
  }

  /**
   * Writes the staged timbres, as the import's rules say, then empties the stage:
   * - a key the other scope holds (stored, or staged earlier in the load) is left out: a private key may not
   *   shadow a public one, nor a public key take one an app holds;
   * - a row whose source gave no id takes the stored id of its owner and key (a re-import updates in place);
   * - a given id against a stored key of another id, or one key staged with two ids, throws StageError;
   * - the same id staged twice: the later row is written;
   * - an id another owner holds is left out (never moved).
   */
  async settleStaged(w: WriteTransaction): Promise<StageSettled> {
    const db = w.db;
    if (!this.staging.has(w)) return { written: 0, skipped: [], rows: [] };
    const stage = sql.table(STAGE);
    const skipped: StageSettled['skipped'] = [];
    const scopes = (
      await sql<{
        pub: boolean | null;
        priv: boolean | null;
        n: number;
      }>`SELECT bool_or(owner = '') AS pub, bool_or(owner <> '') AS priv, count(*)::int AS n FROM ${stage}`.execute(db)
    ).rows[0];
    if (!scopes.n) return { written: 0, skipped: [], rows: [] };
    // `owner > ''` rather than `<> ''`: a range of the list index, not a scan past every public row.
    const otherStored = async (pub: boolean) =>
      (await sql`SELECT 1 FROM timbres WHERE ${pub ? sql`owner > ''` : sql`owner = ''`} LIMIT 1`.execute(db)).rows.length > 0;
    if ((scopes.pub && (await otherStored(true))) || (scopes.priv && (await otherStored(false)))) {
      const gone = await sql<{ seq: number; owner: string; key: string; id: string }>`
        DELETE FROM ${stage} s WHERE EXISTS (SELECT 1 FROM timbres t WHERE t.key = s.key AND (t.owner = '') <> (s.owner = ''))
        RETURNING s.seq, s.owner, s.key, s.id`.execute(db);
      for (const r of gone.rows) skipped.push({ seq: r.seq, reason: r.owner === PUBLIC ? 'shadows' : 'shadowed', key: r.key, id: r.id });
    }
    if (scopes.pub && scopes.priv) {
      // The first row of a key in the load decides its scope; rows of the other scope are left out.
      const gone = await sql<{ seq: number; owner: string; key: string; id: string }>`
        WITH firsts AS (SELECT DISTINCT ON (key) key, owner = '' AS pub FROM ${stage} ORDER BY key, seq)
        DELETE FROM ${stage} s USING firsts f WHERE f.key = s.key AND f.pub <> (s.owner = '')
        RETURNING s.seq, s.owner, s.key, s.id`.execute(db);
      for (const r of gone.rows) skipped.push({ seq: r.seq, reason: r.owner === PUBLIC ? 'shadows' : 'shadowed', key: r.key, id: r.id });
    }
    await sql`UPDATE ${stage} s SET id = t.id FROM timbres t WHERE NOT s.id_given AND t.key = s.key AND t.owner = s.owner AND t.id <> s.id`.execute(db);
    const columns = sql.join(TIMBRE_COLUMNS.map((c) => sql.ref(c)));
    const update = sql.join(TIMBRE_COLUMNS.filter((c) => c !== 'id' && c !== 'created_at').map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`));
    // In the list order: the rows of a page then share a heap page or two, and a page that is not in the
    // cache reads those, not one heap page per row (random pages 1.6-1.9× faster on a million timbres; the
    // import's speed the same as in id order, docs/benchmarks.md).
    // Every staged row comes back: written (inserted or not, and where an updated row was, read from the
    // statement's snapshot by `old`) or left out (another owner's id).
    const upsert = () =>
      sql<{
        seq: number;
        key: string;
        id: string;
        written: boolean;
        inserted: boolean | null;
        status: string | null;
        sort_order: number | null;
        created_at: number | null;
      }>`
      WITH old AS (SELECT t.id, t.status, t.sort_order, t.created_at FROM timbres t WHERE t.id IN (SELECT id FROM ${stage})),
      w AS (
        INSERT INTO timbres (${columns}) SELECT ${columns} FROM ${stage} ORDER BY sort_order, created_at, id
        ON CONFLICT (id) DO UPDATE SET ${update} WHERE timbres.owner = excluded.owner
        RETURNING id, (xmax = 0) AS inserted
      )
      SELECT s.seq, s.key, s.id, w.id IS NOT NULL AS written, w.inserted, o.status, o.sort_order, o.created_at
      FROM ${stage} s LEFT JOIN w ON w.id = s.id LEFT JOIN old o ON o.id = s.id`.execute(db);
    // Most loads give each id and key once, and the stored ids are the staged ones: written at once. A
    // load that does not trips the primary key (one id twice) or the key index (a key given two ids, or a
    // given id against a stored key); it is then checked row by row, from the savepoint.
    await sql`SAVEPOINT timbrel_stage`.execute(db);
    let left: Awaited<ReturnType<typeof upsert>> | undefined;
    try {
      left = await upsert();
      await sql`RELEASE SAVEPOINT timbrel_stage`.execute(db);
    } catch (err) {
      const code = (err as { code?: string }).code;
      // 23505 unique_violation; 21000 cardinality_violation ("cannot affect row a second time").
      if (code !== '23505' && code !== '21000') throw err;
      await sql`ROLLBACK TO SAVEPOINT timbrel_stage`.execute(db);
    }
    if (!left) {
      const taken = (
        await sql<{ seq: number; key: string; stored: string }>`
        SELECT s.seq, s.key, t.id AS stored FROM ${stage} s JOIN timbres t ON t.key = s.key AND t.owner = s.owner
        WHERE s.id_given AND t.id <> s.id ORDER BY s.seq LIMIT 1`.execute(db)
      ).rows[0];
      if (taken) throw new StageError(taken.seq, `key ${JSON.stringify(taken.key)} already belongs to timbre ${taken.stored}`);
      const twice = (
        await sql<{ seq: number; key: string }>`
        SELECT seq, key FROM (SELECT seq, key, id, first_value(id) OVER (PARTITION BY owner, key ORDER BY seq) AS first FROM ${stage}) x
        WHERE id <> first ORDER BY seq LIMIT 1`.execute(db)
      ).rows[0];
      if (twice) throw new StageError(twice.seq, `key ${JSON.stringify(twice.key)} appears twice with different ids`);
      await sql`DELETE FROM ${stage} a USING ${stage} b WHERE a.id = b.id AND a.seq < b.seq`.execute(db);
      left = await upsert();
    }
    const rows: StageSettled['rows'] = [];
    for (const r of left.rows) {
      if (!r.written) skipped.push({ seq: r.seq, reason: 'other-owner', key: r.key, id: r.id });
      else
        rows.push({
          seq: r.seq,
          id: r.id,
          inserted: r.inserted === true,
          ...(r.status === null ? {} : { before: { status: r.status, sortOrder: Number(r.sort_order), createdAt: Number(r.created_at) } }),
        });
    }
    await sql`TRUNCATE ${stage}`.execute(db);
    return { written: rows.length, skipped: skipped.sort((a, b) => a.seq - b.seq), rows: rows.sort((a, b) => a.seq - b.seq) };
  }
}
