import { sql, type SqlBool } from 'kysely';
import { TimbrelError } from '../core/errors.js';
import { num, type Db } from './base.js';
import type { Repository } from './repository.js';

export interface StoredFile {
  id: string;
  contentType: string;
  size: number;
  createdAt: number;
}

/** How a file field names a file timbrel stores (src/files/urls.ts STORED_PREFIX). */
export const STORED = 'stored:';

/** Stored files (uploads): their records, who refers to them, and their collection. */
export class FileStore {
  constructor(private readonly store: Repository) {}

  /**
   * Records a stored file. Recording one that is already there renews its `created_at` (the moment it was
   * last recorded), which the garbage collection's grace period counts from.
   */
  async insert(f: StoredFile, db: Db = this.store.db): Promise<void> {
    await db
      .insertInto('files')
      .values({ id: f.id, content_type: f.contentType, size: f.size, created_at: f.createdAt })
      .onConflict((oc) => oc.column('id').doUpdateSet({ created_at: f.createdAt }))
      .execute();
  }

  /**
   * Marks the stored files an asset write references as in use now, in the write's transaction (locking
   * their rows), so that the garbage collection cannot take a file a write is about to reference. Throws
   * invalid_parameter for one that is not stored.
   */
  async touch(db: Db, refs: (string | null | undefined)[], now: number): Promise<void> {
    for (const ref of new Set(refs)) {
      if (!ref?.startsWith(STORED)) continue;
      const r = await db.updateTable('files').set({ created_at: now }).where('id', '=', ref.slice(STORED.length)).executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) throw new TimbrelError('invalid_parameter', `${ref} is not a stored file`);
    }
  }

  /**
   * The garbage collection's first half: deletes (in one transaction, their rows locked) up to `limit`
   * file rows last recorded before `before` that no timbre, digital human or anchor references, and returns their
   * ids. The bytes are the caller's to remove once it has waited long enough for an upload that was
   * recording the same file again (FileGc).
   */
  async deleteUnreferenced(before: number, limit = 1000): Promise<string[]> {
    return this.store.transaction(async (trx) => {
      let q = trx.selectFrom('files').select('id').where('created_at', '<', before).orderBy('created_at').limit(limit);
      if (this.store.engine.kind === 'postgres') q = q.forUpdate().skipLocked();
      const candidates = (await q.execute()).map((r) => r.id);
      if (!candidates.length) return [];
      // Digital humans and anchors are few: their references are read at once (pictures, action preview
      // videos, render and frame-fill packages; anchors' header images).
      const referencedByFew = new Set<string>();
      const note = (text: string) => {
        for (const m of text.matchAll(/stored:([0-9a-f]{64})/g)) referencedByFew.add(m[1]);
      };
      for (const r of await trx
        .selectFrom('digital_humans')
        .select(['header_image', 'pose_image', 'clothes_image', 'cover_image', 'render_package', 'frame_fill_package', 'actions'])
        .execute()) {
        note(`${r.header_image} ${r.pose_image} ${r.clothes_image} ${r.cover_image} ${r.render_package} ${r.frame_fill_package} ${r.actions}`);
      }
      for (const r of await trx.selectFrom('anchors').select('header_image').where('header_image', 'like', 'stored:%').execute()) note(`${r.header_image}`);
      // Samples per language: the few timbres that hold a stored one (migration 0009's partial index).
      for (const r of await trx.selectFrom('timbres').select('language_samples').where('language_samples', 'like', '%stored:%').execute())
        note(r.language_samples);
      const gone: string[] = [];
      for (const id of candidates) {
        if (referencedByFew.has(id)) continue;
        const ref = `${STORED}${id}`;
        // The partial indexes of migration 0007: a seek each.
        const used = await trx
          .selectFrom('timbres')
          .select('id')
          .where((eb) =>
            eb.or([
              eb.and([eb('image', '=', ref), sql<SqlBool>`image like 'stored:%'`]),
              eb.and([eb('sample', '=', ref), sql<SqlBool>`sample like 'stored:%'`]),
            ]),
          )
          .limit(1)
          .executeTakeFirst();
        if (used) continue;
        await trx.deleteFrom('files').where('id', '=', id).execute();
        await trx.deleteFrom('file_grants').where('file_id', '=', id).execute();
        gone.push(id);
      }
      return gone;
    });
  }

  /** Records that `owner` (an app) uploaded the file: it may name it before any of its rows does. */
  async grant(db: Db, fileId: string, owner: string): Promise<void> {
    await db
      .insertInto('file_grants')
      .values({ file_id: fileId, owner })
      .onConflict((oc) => oc.columns(['file_id', 'owner']).doNothing())
      .execute();
  }

  /**
   * Whether `owner` (an app) may name the stored file `id`: it uploaded it, or a row it can see (its own
   * or the public catalog's) references it. A stored file's hash is in every signed URL, so knowing it
   * must open nothing else.
   */
  async mayUse(owner: string, id: string, db: Db = this.store.db): Promise<boolean> {
    if (await db.selectFrom('file_grants').select('file_id').where('file_id', '=', id).where('owner', '=', owner).executeTakeFirst()) return true;
    const ref = `${STORED}${id}`;
    const owners = [owner, ''];
    const like = `%${ref}%`;
    const timbre = await db
      .selectFrom('timbres')
      .select('id')
      .where('owner', 'in', owners)
      .where((eb) =>
        eb.or([
          eb.and([eb('image', '=', ref), sql<SqlBool>`image like 'stored:%'`]),
          eb.and([eb('sample', '=', ref), sql<SqlBool>`sample like 'stored:%'`]),
          eb.and([eb('language_samples', 'like', like), sql<SqlBool>`language_samples like '%stored:%'`]),
        ]),
      )
      .limit(1)
      .executeTakeFirst();
    if (timbre) return true;
    const dh = await db
      .selectFrom('digital_humans')
      .select('id')
      .where('owner', 'in', owners)
      .where((eb) =>
        eb.or([
          eb('header_image', '=', ref),
          eb('pose_image', '=', ref),
          eb('clothes_image', '=', ref),
          eb('cover_image', '=', ref),
          eb('render_package', '=', ref),
          eb('frame_fill_package', '=', ref),
          eb('actions', 'like', like),
        ]),
      )
      .limit(1)
      .executeTakeFirst();
    if (dh) return true;
    return (await db.selectFrom('anchors').select('id').where('owner', 'in', owners).where('header_image', '=', ref).limit(1).executeTakeFirst()) !== undefined;
  }

  async byId(id: string, db: Db = this.store.db): Promise<StoredFile | undefined> {
    const r = await db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst();
    return r && { id: r.id, contentType: r.content_type, size: num(r.size), createdAt: num(r.created_at) };
  }
}
