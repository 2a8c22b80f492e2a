/**
 * Pass-through for the key dialects (ElevenLabs, OpenAI-compatible, HeyGen; docs/gateway.md): a call the
 * dialect does not serve goes to the app's upstream for that dialect, or else the operator's, with the
 * vendor's API key in the vendor's place and the app's timbrel key left behind. Before anything leaves,
 * the catalog decides: a call that names a voice or an avatar the app may not use (not in timbrel's
 * catalog, another tenant's, retired) is answered here with the dialect's own not-found.
 */
import { TimbrelError } from '../core/errors.js';
import { OPERATOR_UPSTREAM, type App, type KeyDialect, type Upstream } from '../core/types.js';
import type { RequestTag } from '../request-log.js';
import type { Services } from '../services.js';
import { passThrough } from '../upstream/pass-through.js';
import type { VendorAnswer, VendorRequest } from './vendor.js';

/** The app's own upstream for a key dialect, else the operator's. */
export async function upstreamFor(services: Services, app: App, dialect: KeyDialect): Promise<Upstream | undefined> {
  return (await services.repo.upstreams.of(app.id, dialect)) ?? (await services.repo.upstreams.of(OPERATOR_UPSTREAM, dialect));
}

/** A voice or avatar a call names that the app may not use: the dialect answers its own not-found. */
export class NotInCatalog extends TimbrelError {
  constructor(
    readonly what: 'voice' | 'avatar',
    readonly id: string,
  ) {
    super('not_found', `${what} ${id.slice(0, 200)} is not in this app's catalog`);
  }
}

/** What a relayed call names, for the catalog to allow. */
export interface Named {
  voices?: string[];
  avatars?: string[];
}

/**
 * Throws NotInCatalog for the first voice (a timbre by id or key) or avatar (a digital human by id, or by
 * the vendor id `dialect`'s sync kept) the app may not use: not visible to it, or retired. Through an
 * `open` upstream, an id the catalog holds nowhere passes (the vendor decides); one it holds never does
 * unless the app may use it.
 */
export async function allow(services: Services, app: App, named: Named, dialect: KeyDialect, open = false): Promise<void> {
  const refuse = async (what: 'voice' | 'avatar', id: string) => {
    if (!open || (await services.catalog.holds(what, id, dialect))) throw new NotInCatalog(what, id);
  };
  for (const id of named.voices ?? []) {
    const t = await services.catalog.findTimbre(app, id);
    if (!t || t.status !== 'active') await refuse('voice', id);
  }
  for (const id of named.avatars ?? []) {
    const d = await services.catalog.findDigitalHumanOf(app, id, dialect);
    if (!d || d.status !== 'active') await refuse('avatar', id);
  }
}

/** The characters of the text fields a speech call asks to be spoken (its usage). */
export function characters(...texts: unknown[]): number {
  let n = 0;
  for (const t of texts) if (typeof t === 'string') n += [...t].length;
  return n;
}

/** A JSON body of a relayed call, when it is one (undefined otherwise: nothing in it is checked). */
export function jsonBody(req: VendorRequest): unknown {
  if (req.upload || !req.body.length) return undefined;
  try {
    return JSON.parse(req.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Relays a key dialect's call to `upstream`, with `path` (the vendor's path: the dialect's prefix and any
 * key-in-path form taken off). Throws the relay's TimbrelError when the vendor gave no answer to pass on.
 */
export function relayKeyCall(services: Services, req: VendorRequest, app: App, upstream: Upstream, path: string, tag: RequestTag): Promise<VendorAnswer> {
  return passThrough(services, { ...req, path }, app, upstream, tag);
}

/**
 * The relay of a call the dialect does not serve, for an authenticated and admitted app: undefined when
 * the app has no upstream for the dialect (nor the operator), so the dialect answers as it did without one.
 */
export async function relayUnserved(
  services: Services,
  req: VendorRequest,
  app: App,
  dialect: KeyDialect,
  path: string,
  named: Named & { characters?: number },
  tag: RequestTag,
): Promise<VendorAnswer | undefined> {
  const upstream = await upstreamFor(services, app, dialect);
  if (!upstream) return undefined;
  await allow(services, app, named, dialect, upstream.open);
  if (named.characters) {
    tag.characters = named.characters;
    tag.speechVendor = dialect;
  }
  return relayKeyCall(services, req, app, upstream, path, tag);
}
