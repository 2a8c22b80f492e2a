import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { type Page, type Timbre } from '../core/types.js';
import type { DB } from './schema.js';
import { POSTGRES_TIMBRE_TEXT } from './migrations.js';
import { timbreFromRow } from './rows.js';
import { type Narrowing, type KeysetRequest, SORTS, DESCENDING, NUL, NOTHING, oneOfTexts } from './base.js';
import type { Repository } from './repository.js';

/** Up to this many text matches, a search is driven from them rather than from the list index. */
export const FEW_MATCHES = 5000;

/** The words of a search `q` that a text match looks for (at most 16). */
export const searchWords = (q: string) => q.split(/\s+/).filter(Boolean).slice(0, 16);

/**
 * An FTS5 query: every word of `q`, each quoted (no operator of q's is interpreted). Whole words, not
 * prefixes: a prefix query merges the doclists of every word it starts before the first row comes out
 * (~300 ms for a word in every row of a million), a word query reads its doclist lazily.
 */
export const ftsQuery = (q: string) =>
  searchWords(q)
    .map((w) => `"${w.replace(/"/g, '""')}"`)
    .join(' ');

export interface TimbreSearch extends KeysetRequest {
  /** Owners allowed (undefined = any). */
  owners?: string[];
  /** Only private timbres (owner ≠ public). */
  privateOnly?: boolean;
  status: string[];
  gender?: string[];
  language?: string[];
  tag?: string[];
  emotion?: string[];
  timbreType?: string[];
  avatarType?: string[];
  q?: string;
  /** Exact keys; any of them. */
  keys?: string[];
  /** Case-insensitive equality with the timbre's age or accent. */
  age?: string;
  accent?: string;
  /** Any of them equals (case-insensitive) a language tag of the timbre or its primary subtag (`en` ~ `en-US`). */
  languageOrSubtag?: string[];
  /** Any of them equals (case-insensitive) a language tag with a region subtag. */
  locale?: string[];
  /** Any of them equals (case-insensitive) one of the timbre's use cases / tags. */
  useCase?: string[];
  tagCi?: string[];
}

/** Timbre searches: filters, text matches from each engine's text index, keyset and offset pages. */
export class TimbreSearches {
  constructor(private readonly store: Repository) {}

  /**
   * The native API's timbre search: filters (each any of its values), a case-insensitive text match over
   * name, description and tags, one of the sort orders, and keyset paging after `after` (the previous
   * page's last sort key). Returns up to limit + 1 rows so the caller can tell whether there are more.
   */
  async search(s: TimbreSearch): Promise<{ rows: Timbre[]; total?: number }> {
    // A selective text search drives the query from its few matches (looked up by rowid, then sorted);
    // a common one walks the list index, where matches are dense and the page fills early.
    // (SQLite: rowids from its FTS5 table; PostgreSQL: ids from its GIN index, where a walk of the list
    // index would compute every row's tsvector until the page fills: 60 ms at 20,000 rows.)
    let matches: Expression<SqlBool> | undefined;
    if (s.q && this.store.engine.kind === 'sqlite') {
      const found = await sql<{ rowid: number }>`SELECT rowid FROM timbres_fts WHERE timbres_fts MATCH ${ftsQuery(s.q)} LIMIT ${FEW_MATCHES + 1}`.execute(
        this.store.db,
      );
      if (found.rows.length <= FEW_MATCHES) {
        matches = sql<SqlBool>`${sql.ref('timbres.rowid')} in (select value from json_each(${JSON.stringify(found.rows.map((r) => Number(r.rowid)))}))`;
      }
    } else if (s.q) {
      const found = await this.store.db
        .selectFrom('timbres')
        .select('id')
        .where(this.textMatch(s.q))
        .limit(FEW_MATCHES + 1)
        .execute();
      if (found.length <= FEW_MATCHES) matches = sql<SqlBool>`${sql.ref('timbres.id')} = any(${found.map((r) => r.id)})`;
    }
    const build = (narrow: Narrowing) =>
      this.store.db.selectFrom('timbres').where((eb) => {
        const all = this.conditions(eb, { ...s, ...narrow, q: matches ? undefined : s.q });
        if (matches) all.push(matches);
        return eb.and(all);
      });
    return this.store.keysetPage(
      build,
      matches ? undefined : await this.store.runsOf('timbres', s),
      s,
      timbreFromRow,
      Boolean(matches) && this.store.engine.kind === 'sqlite',
    );
  }

  private conditions = (eb: ExpressionBuilder<DB, 'timbres'>, s: TimbreSearch): Expression<SqlBool>[] => {
    const all: Expression<SqlBool>[] = [];
    if (s.owners) all.push(eb('owner', 'in', s.owners));
    if (s.privateOnly) all.push(eb('owner', '!=', ''));
    all.push(eb('status', 'in', s.status));
    if (s.gender?.length) all.push(eb('gender', 'in', s.gender));
    if (s.timbreType?.length) all.push(eb('timbre_type', 'in', s.timbreType));
    // Lists are JSON text: a value is matched as its JSON string, which no other element can contain.
    const anyOf = (column: 'languages' | 'tags' | 'emotions' | 'supported_avatar_types', values?: string[]) => {
      if (values?.length) all.push(eb.or(values.map((v) => this.store.containsExpr(column, JSON.stringify(v)))));
    };
    anyOf('languages', s.language);
    anyOf('tags', s.tag);
    anyOf('emotions', s.emotion);
    anyOf('supported_avatar_types', s.avatarType);
    if (s.q) all.push(this.textMatch(s.q));
    if (s.keys) all.push(oneOfTexts(eb, 'key', s.keys));
    // Case-insensitive matches compare lower(column) with the value lowered the way the engine lowers
    // (SQLite's lower() folds ASCII only).
    const lower = (v: string) => (this.store.engine.kind === 'sqlite' ? v.replace(/[A-Z]+/g, (c) => c.toLowerCase()) : v.toLowerCase());
    const eqCi = (column: 'age' | 'accent', v?: string) => {
      if (v !== undefined) all.push(v.includes(NUL) ? NOTHING : sql<SqlBool>`lower(${sql.ref(column)}) = ${lower(v)}`);
    };
    eqCi('age', s.age);
    eqCi('accent', s.accent);
    const anyCi = (column: 'languages' | 'tags' | 'use_cases', needles: string[]) =>
      all.push(needles.length ? eb.or(needles.map((n) => this.store.containsExpr(column, n, true))) : NOTHING);
    if (s.languageOrSubtag)
      anyCi(
        'languages',
        s.languageOrSubtag.flatMap((v) => (v.includes('-') ? [JSON.stringify(lower(v))] : [JSON.stringify(lower(v)), `"${lower(v)}-`])),
      );
    if (s.locale)
      anyCi(
        'languages',
        s.locale.filter((v) => v.includes('-')).map((v) => JSON.stringify(lower(v))),
      );
    if (s.useCase)
      anyCi(
        'use_cases',
        s.useCase.map((v) => JSON.stringify(lower(v))),
      );
    if (s.tagCi)
      anyCi(
        'tags',
        s.tagCi.map((v) => JSON.stringify(lower(v))),
      );
    return all;
  };

  /**
   * A page of a search by offset (vendors that page by number): the rows at `offset` in the sort's order
   * and how many match. For filtered lists; an unfiltered catalog-order page is `list`'s (deep-offset index).
   */
  async offsetPage(s: Omit<TimbreSearch, 'after' | 'limit' | 'total'>, offset: number, limit: number): Promise<Page<Timbre>> {
    const base = this.store.db.selectFrom('timbres').where((eb) => eb.and(this.conditions(eb, { ...s, limit })));
    const order = SORTS[s.sort];
    const descending = DESCENDING[s.sort];
    let q = base.selectAll();
    order.forEach((c, i) => (q = q.orderBy(c, i < descending ? 'desc' : 'asc')));
    const [rows, n] = await Promise.all([q.limit(limit).offset(offset).execute(), base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()]);
    return { total: Number(n.n), items: rows.map(timbreFromRow) };
  }

  /**
   * Timbres whose name, description or tags hold every word of `q` (whole words, case ignored; SQLite also
   * ignores accents). Each engine answers from its own text index.
   */
  private textMatch(q: string): Expression<SqlBool> {
    if (q.includes(NUL)) return NOTHING;
    if (this.store.engine.kind === 'sqlite') {
      // Row by row as the list index is walked (a rowid seek in the index per row): used when matches are
      // many, so the page fills after a few rows.
      return sql<SqlBool>`exists (select 1 from timbres_fts where timbres_fts match ${ftsQuery(q)} and timbres_fts.rowid = ${sql.ref('timbres.rowid')})`;
    }
    // PostgreSQL: its GIN index over the same words (migration 0005); every word must be there.
    return sql<SqlBool>`${POSTGRES_TIMBRE_TEXT} @@ plainto_tsquery('simple'::regconfig, ${searchWords(q).join(' ')})`;
  }
}
