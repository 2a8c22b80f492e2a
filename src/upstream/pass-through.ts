/**
 * Where the vendor dialects hand a call they do not serve to the app's upstream (docs/gateway.md). The
 * dialect has authenticated and admitted the caller; here the call is relayed and the answer is the
 * vendor's, or the dialect's own error when the vendor gave none.
 */
import { OPERATOR_UPSTREAM, type App, type Upstream, type UpstreamDialect } from '../core/types.js';
import type { RequestTag } from '../request-log.js';
import type { Services } from '../services.js';
import type { VendorAnswer, VendorRequest } from '../dialects/vendor.js';

/** The app's upstream for the dialect, if it has one (read through the cache). */
export function upstreamOf(services: Services, app: App | undefined, dialect: UpstreamDialect): Promise<Upstream | undefined> | undefined {
  return app ? services.repo.upstreams.of(app.id, dialect) : undefined;
}

/**
 * Relays the call. Throws the relay's TimbrelError (the dialect renders it) when the vendor could not be
 * reached, timed out before answering, or did not speak HTTP.
 */
export async function passThrough(services: Services, req: VendorRequest, app: App, upstream: Upstream, tag: RequestTag): Promise<VendorAnswer> {
  const started = performance.now();
  const trusted = services.config.trustProxy !== false;
  const chain = typeof req.headers['x-forwarded-for'] === 'string' ? `${req.headers['x-forwarded-for']}, ` : '';
  tag.op = 'relayed';
  tag.via = upstream.appId === OPERATOR_UPSTREAM ? 'operator' : 'own';
  tag.app = app.name;
  tag.appId = app.id;
  const host = new URL(upstream.url).host;
  try {
    const r = await services.relay.send({
      upstream,
      method: req.method,
      path: req.path,
      rawQuery: req.rawQuery,
      headers: req.headers,
      body: req.upload ?? req.body,
      forwardedFor: trusted ? `${chain}${req.remoteAddress}` : undefined,
    });
    // The vendor's own code is inside its body, which is not read here: the HTTP status stands for it.
    return {
      status: r.status,
      body: '',
      tag,
      relayed: {
        ...r,
        done: (ok) => {
          r.done(ok);
          // One line a relayed call: never the query (it carries signatures) nor a secret.
          req.log.info(
            {
              dialect: upstream.dialect,
              app: app.name,
              upstream: host,
              method: req.method,
              path: req.path,
              status: r.status,
              ok,
              ms: Math.round((performance.now() - started) * 10) / 10,
            },
            'relayed',
          );
        },
      },
    };
  } catch (err) {
    req.log.warn(
      {
        dialect: upstream.dialect,
        app: app.name,
        upstream: host,
        method: req.method,
        path: req.path,
        error: (err as Error).message,
        ms: Math.round((performance.now() - started) * 10) / 10,
      },
      'relay failed',
    );
    throw err;
  }
}
