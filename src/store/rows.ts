/**
 * How catalog assets map to their stored rows, with no store behind it: the repository uses it, and the
 * import's parse worker builds each timbre's row values with it before the writer sees them.
 */
import type { Anchor, DigitalHuman, DigitalHumanAction, Timbre } from '../core/types.js';
import type { DB } from './schema.js';

const json = (v: unknown) => JSON.stringify(v ?? []);
/**
 * A list column's value, parsed. A catalog repeats a few list values on every row (a language, a driver
 * type, the same tags), and parsing them was a tenth of a whole-row page's time: the lists of short texts
 * are kept, frozen and shared, as the read cache shares whole rows (callers never mutate what the store
 * returns; a frozen list makes one that tried fail loudly).
 */
const parsedLists = new Map<string, string[]>();
const NO_ITEMS: string[] = Object.freeze([]) as unknown as string[];
const NO_SAMPLES: Record<string, string> = Object.freeze({}) as Record<string, string>;
const list = (s: string): string[] => {
  if (!s || s === '[]') return NO_ITEMS;
  let v = parsedLists.get(s);
  if (v === undefined) {
    v = Object.freeze(JSON.parse(s)) as string[];
    if (s.length <= 256) {
      if (parsedLists.size >= 4096) parsedLists.clear();
      parsedLists.set(s, v);
    }
  }
  return v;
};
const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function timbreFromRow(r: DB['timbres']): Timbre {
  return {
    id: r.id,
    owner: r.owner,
    key: r.key,
    name: r.name,
    description: r.description,
    gender: r.gender as Timbre['gender'],
    languages: list(r.languages),
    emotions: list(r.emotions),
    timbreType: r.timbre_type as Timbre['timbreType'],
    supportedAvatarTypes: list(r.supported_avatar_types),
    driverTypes: list(r.driver_types),
    expiresAt: numOrNull(r.expires_at),
    image: r.image,
    sample: r.sample,
    languageSamples: !r.language_samples || r.language_samples === '{}' ? NO_SAMPLES : JSON.parse(r.language_samples),
    tags: list(r.tags),
    age: r.age,
    accent: r.accent,
    useCases: list(r.use_cases),
    status: r.status as Timbre['status'],
    replacedBy: r.replaced_by,
    sortOrder: num(r.sort_order),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

export function timbreToRow(t: Timbre): DB['timbres'] {
  return {
    id: t.id,
    owner: t.owner,
    key: t.key,
    name: t.name,
    description: t.description,
    gender: t.gender,
    languages: json(t.languages),
    emotions: json(t.emotions),
    timbre_type: t.timbreType,
    supported_avatar_types: json(t.supportedAvatarTypes),
    driver_types: json(t.driverTypes),
    expires_at: t.expiresAt,
    image: t.image,
    sample: t.sample,
    language_samples: JSON.stringify(t.languageSamples ?? {}),
    tags: json(t.tags),
    age: t.age,
    accent: t.accent,
    use_cases: json(t.useCases),
    status: t.status,
    replaced_by: t.replacedBy,
    sort_order: t.sortOrder,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
  };
}

export function digitalHumanFromRow(r: DB['digital_humans']): DigitalHuman {
  return {
    id: r.id,
    owner: r.owner,
    name: r.name,
    anchorCode: r.anchor_code,
    clothesName: r.clothes_name,
    poseName: r.pose_name,
    resolution: r.resolution,
    avatarType: r.avatar_type,
    headerImage: r.header_image,
    poseImage: r.pose_image,
    clothesImage: r.clothes_image,
    actions: r.actions
      ? (JSON.parse(r.actions) as DigitalHumanAction[]).map((a) => ({ code: a.code, name: a.name ?? '', previewVideo: a.previewVideo ?? null }))
      : [],
    driverTypes: list(r.driver_types),
    backgroundChangeable: Boolean(num(r.background_changeable)),
    originZoom: num(r.origin_zoom),
    effectiveAt: numOrNull(r.effective_at),
    expiresAt: numOrNull(r.expires_at),
    extraParams: r.extra_params ? JSON.parse(r.extra_params) : [],
    coverImage: r.cover_image ?? null,
    renderPackage: r.render_package ?? null,
    smallImageMode: Boolean(num(r.small_image_mode ?? 0)),
    frameFillPackage: r.frame_fill_package ?? null,
    status: r.status as DigitalHuman['status'],
    replacedBy: r.replaced_by,
    sortOrder: num(r.sort_order),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

export function digitalHumanToRow(d: DigitalHuman): DB['digital_humans'] {
  return {
    id: d.id,
    owner: d.owner,
    name: d.name,
    anchor_code: d.anchorCode,
    clothes_name: d.clothesName,
    pose_name: d.poseName,
    resolution: d.resolution,
    avatar_type: d.avatarType,
    header_image: d.headerImage,
    pose_image: d.poseImage,
    clothes_image: d.clothesImage,
    actions: JSON.stringify(d.actions ?? []),
    driver_types: json(d.driverTypes),
    background_changeable: d.backgroundChangeable ? 1 : 0,
    origin_zoom: d.originZoom,
    effective_at: d.effectiveAt,
    expires_at: d.expiresAt,
    extra_params: JSON.stringify(d.extraParams ?? []),
    cover_image: d.coverImage ?? null,
    render_package: d.renderPackage ?? null,
    small_image_mode: d.smallImageMode ? 1 : 0,
    frame_fill_package: d.frameFillPackage ?? null,
    status: d.status,
    replaced_by: d.replacedBy,
    sort_order: d.sortOrder,
    created_at: d.createdAt,
    updated_at: d.updatedAt,
  };
}

export function anchorFromRow(r: DB['anchors']): Anchor {
  return {
    id: r.id,
    owner: r.owner,
    code: r.code,
    name: r.name,
    gender: r.gender as Anchor['gender'],
    tag: r.tag as Anchor['tag'],
    headerImage: r.header_image,
    avatarType: r.avatar_type,
    status: r.status as Anchor['status'],
    replacedBy: r.replaced_by,
    sortOrder: num(r.sort_order),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

export function anchorToRow(a: Anchor): DB['anchors'] {
  return {
    id: a.id,
    owner: a.owner,
    code: a.code,
    name: a.name,
    gender: a.gender,
    tag: a.tag,
    header_image: a.headerImage,
    avatar_type: a.avatarType,
    status: a.status,
    replaced_by: a.replacedBy,
    sort_order: a.sortOrder,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
  };
}

/** The timbres columns in the order of `timbreToRow`: the order of a row's values in a bulk write. */
export const TIMBRE_COLUMNS = Object.keys(
  timbreToRow({ languages: [], emotions: [], supportedAvatarTypes: [], driverTypes: [], tags: [], useCases: [] } as unknown as Timbre),
) as (keyof DB['timbres'])[];

/** Where a column is among a row's values. */
export const TIMBRE_COLUMN = Object.fromEntries(TIMBRE_COLUMNS.map((c, i) => [c, i])) as Record<keyof DB['timbres'], number>;

/** A timbre's row as values in TIMBRE_COLUMNS order. */
export type TimbreValues = DB['timbres'][keyof DB['timbres']][];

export function timbreValues(t: Timbre): TimbreValues {
  return Object.values(timbreToRow(t));
}
