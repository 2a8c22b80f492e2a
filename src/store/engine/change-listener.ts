import { changeVersion } from './contract.js';

export const CHANNEL = 'timbrel_changes';

/** How often the change listener's connection is checked, and how long an answer may take. */
const HEARTBEAT_MS = 250;
const HEARTBEAT_TIMEOUT_MS = 500;
/** The listener counts as hearing while its last heartbeat answered within this. */
const LIVE_WITHIN_MS = 1000;

/**
 * The change signal: PostgreSQL's LISTEN/NOTIFY on one dedicated connection, so every writer reaches every
 * instance (API, console and CLI alike, with or without Redis). A heartbeat checks the connection every
 * HEARTBEAT_MS; a lost one moves the version (notifications may have been missed) and is opened again with
 * backoff (100 ms doubling to 2 s) for as long as the process runs. `live()` says whether changes are
 * heard now.
 */
export function listenForChanges(pg: typeof import('pg').default, url: string, timeoutMs: number) {
  const changes = changeVersion();
  let closed = false;
  let client: import('pg').Client | undefined;
  let answeredAt = -Infinity;
  let backoff = 100;
  let retry: NodeJS.Timeout | undefined;
  let beating = false;
  const dropped = new WeakSet<object>();
  let heard: () => void = () => {};
  /** Resolves once the first LISTEN is in place (from then on the version moves only with changes). */
  const listening = new Promise<void>((resolve) => (heard = resolve));

  const drop = (c: import('pg').Client) => {
    if (dropped.has(c)) return;
    dropped.add(c);
    // Losing the listening connection may have lost notifications; a failed attempt to reopen it has not.
    if (client === c) {
      client = undefined;
      changes.lost();
    }
    c.end().catch(() => {});
    reopenLater();
  };
  const reopenLater = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void open();
    }, backoff);
    retry.unref();
    backoff = Math.min(backoff * 2, 2000);
  };
  const open = async () => {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs || undefined, keepAlive: true, application_name: 'timbrel-listen' });
    c.on('error', () => drop(c));
    c.on('end', () => drop(c));
    c.on('notification', (n) => changes.heard(n.payload));
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANNEL}`);
    } catch {
      drop(c);
      return;
    }
    if (closed) return void c.end().catch(() => {});
    client = c;
    backoff = 100;
    answeredAt = performance.now();
    // Whatever was written while nobody listened: read again.
    changes.lost();
    heard();
  };
  const heartbeat = setInterval(() => {
    const c = client;
    if (!c || beating) return;
    beating = true;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('heartbeat timed out')), HEARTBEAT_TIMEOUT_MS)));
    Promise.race([c.query('select 1'), late])
      .then(
        () => {
          answeredAt = performance.now();
        },
        () => drop(c),
      )
      .finally(() => {
        clearTimeout(timer);
        beating = false;
      });
  }, HEARTBEAT_MS);
  heartbeat.unref();
  void open();
  return {
    me: changes.me,
    version: changes.version,
    live: () => client !== undefined && performance.now() - answeredAt < LIVE_WITHIN_MS,
    listening,
    close: () => {
      closed = true;
      clearInterval(heartbeat);
      clearTimeout(retry);
      const c = client;
      client = undefined;
      if (c) {
        dropped.add(c);
        c.end().catch(() => {});
      }
    },
  };
}
