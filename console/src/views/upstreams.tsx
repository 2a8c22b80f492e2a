/**
 * An app's upstreams (its own accounts at the vendors) or the operator's: calls timbrel does not serve are
 * relayed there, and Sync pulls the catalog from them. Each shows its last sync with its report and its
 * health. Secrets are write-only here (a read shows their last four characters).
 */
import { useEffect, useState } from 'preact/hooks';
import { data, v1, type Upstream, type UsageHours } from '../api.js';
import { Field, Form, guarded, say } from '../ui.js';

const nameParam = (name: string) => ({ params: { path: { name } } });

/** What each upstream dialect is called and what it needs. */
const UPSTREAM_KINDS = {
  zego: {
    name: 'ZEGO',
    url: 'https://aigc-digitalhuman-api.zegotech.cn',
    account: ['appId', 'AppId at ZEGO'],
    secret: ['serverSecret', 'ServerSecret at ZEGO'],
  },
  ivh: { name: 'Tencent IVH', url: 'https://gw.tvs.qq.com', account: ['appkey', 'appkey at Tencent'], secret: ['accesstoken', 'accesstoken at Tencent'] },
  elevenlabs: { name: 'ElevenLabs', url: 'https://api.elevenlabs.io', account: undefined, secret: ['apiKey', 'API key at ElevenLabs'] },
  openai: { name: 'OpenAI-compatible', url: 'https://api.openai.com', account: undefined, secret: ['apiKey', 'API key of the speech server'] },
  heygen: { name: 'HeyGen', url: 'https://api.heygen.com', account: undefined, secret: ['apiKey', 'API key at HeyGen'] },
} as const;
type UpstreamKind = keyof typeof UPSTREAM_KINDS;
type Sync = NonNullable<Upstream['lastSync']>;

/** How an upstream is doing: its last sync, and (an app's) how the calls relayed to it went in 24 hours. */
function health(u: Upstream, relayed?: { ok: number; failed: number }): { label: 'healthy' | 'degraded' | 'failing'; why: string } {
  const s = u.lastSync;
  const calls = relayed && relayed.ok + relayed.failed ? `${relayed.ok} relayed calls answered, ${relayed.failed} failed in 24 h` : 'no relayed calls in 24 h';
  if ((s && s.outcome === 'failed') || (relayed && relayed.failed > relayed.ok)) return { label: 'failing', why: calls };
  if ((s && s.stopped) || (relayed && relayed.failed > 0) || (s && (s.fileErrors > 0 || s.rowErrors.length > 0))) return { label: 'degraded', why: calls };
  return { label: 'healthy', why: calls };
}

const at = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

function SyncReport({ s }: { s: Sync }) {
  return (
    <div class="report">
      <p class="meta">
        last sync {s.outcome} at {at(s.startedAt)} UTC{s.finishedAt ? ` (${((s.finishedAt - s.startedAt) / 1000).toFixed(1)} s)` : ''}: {s.created} created,{' '}
        {s.updated} updated, {s.retired} retired, {s.conflicts} conflicts
        {s.error ? ` (${s.error})` : ''}
      </p>
      <details>
        <summary>Report of the last sync</summary>
        <dl class="facts">
          <dt>Pages asked</dt>
          <dd>{s.pages}</dd>
          <dt>Unchanged</dt>
          <dd>{s.unchanged}</dd>
          <dt>Restored</dt>
          <dd>{s.restored}</dd>
          <dt>Files copied</dt>
          <dd>
            {s.files} ({s.fileErrors} failed)
          </dd>
          {s.stopped && (
            <>
              <dt>Stopped early</dt>
              <dd>{s.stopped} (nothing was retired)</dd>
            </>
          )}
        </dl>
        {s.rowErrors.length > 0 && (
          <ul class="meta">
            {s.rowErrors.map((e, i) => (
              <li key={i}>{e}</li>
            ))}
          </ul>
        )}
      </details>
    </div>
  );
}

/** An app's upstreams, or the operator's (`app` undefined: every app without its own relays through these). */
export function UpstreamsPanel({ app }: { app?: string }) {
  const [items, setItems] = useState<Upstream[] | undefined>();
  const [usage, setUsage] = useState<UsageHours | undefined>();
  const read = () =>
    guarded(async () => {
      setItems(app === undefined ? (await data(v1().GET('/v1/upstreams'))).items : (await data(v1().GET('/v1/apps/{name}/upstreams', nameParam(app)))).items);
      if (app !== undefined) setUsage(await data(v1().GET('/v1/apps/{name}/usage/hours', { params: { path: { name: app }, query: {} } })));
    });
  useEffect(() => void read(), [app]);
  const title = app === undefined ? 'Operator’s upstreams' : `Upstreams of ${app}`;
  const whose = app === undefined ? 'the operator’s' : `${app}’s`;
  const relayed = (dialect: string) => {
    if (!usage) return undefined;
    const r = { ok: 0, failed: 0 };
    for (const h of usage.hours) if (h.dialect === dialect && h.via === 'own') r[h.outcome] += h.requests;
    return r;
  };
  const put = (dialect: UpstreamKind, body: Record<string, unknown>) =>
    app === undefined
      ? v1().PUT('/v1/upstreams/{dialect}', { params: { path: { dialect } }, body: body as never })
      : v1().PUT('/v1/apps/{name}/upstreams/{dialect}', { params: { path: { name: app, dialect } }, body: body as never });
  const sync = (dialect: UpstreamKind) =>
    app === undefined
      ? data(v1(undefined, 600_000).POST('/v1/upstreams/{dialect}/sync', { params: { path: { dialect }, query: { wait: true } }, body: {} }))
      : data(
          v1(undefined, 600_000).POST('/v1/apps/{name}/upstreams/{dialect}/sync', {
            params: { path: { name: app, dialect }, query: { wait: true } },
            body: {},
          }),
        );
  const remove = (dialect: UpstreamKind) =>
    app === undefined
      ? v1().DELETE('/v1/upstreams/{dialect}', { params: { path: { dialect } } })
      : v1().DELETE('/v1/apps/{name}/upstreams/{dialect}', { params: { path: { name: app, dialect } } });

  return (
    <section aria-label={title} class="panel" data-panel="upstreams">
      <h2>{title}</h2>
      <p class="meta">
        The vendor accounts calls timbrel does not serve are relayed to, and Sync pulls the catalog from. Secrets are write-only here (a read shows their last
        four characters).
      </p>
      {items &&
        (Object.keys(UPSTREAM_KINDS) as UpstreamKind[]).map((dialect) => {
          const kind = UPSTREAM_KINDS[dialect];
          const u = items.find((x) => x.dialect === dialect);
          const h = u && health(u, app === undefined ? undefined : relayed(dialect));
          const stored = u as Record<string, unknown> | undefined;
          return (
            <details key={dialect} class="upstream" data-upstream={dialect} open={!!u}>
              <summary>
                <strong>{kind.name}</strong>{' '}
                {u && h ? (
                  <span class={`badge ${h.label === 'healthy' ? 'good' : h.label === 'failing' ? 'bad' : 'warn'}`}>{h.label}</span>
                ) : (
                  <span class="meta">not configured</span>
                )}
              </summary>
              {u ? (
                <>
                  <p class="meta">
                    {u.url} · {u.lastSync ? `last sync ${u.lastSync.outcome}` : 'never synced'}
                    {h && app !== undefined ? ` · ${h.why}` : ''}
                  </p>
                  {u.lastSync && <SyncReport s={u.lastSync} />}
                </>
              ) : (
                <p class="meta">Not set: calls timbrel does not serve are not relayed.</p>
              )}
              <Form
                keep
                run={async (v) => {
                  const body: Record<string, unknown> = { ...(v.url ? { url: v.url } : {}), rateLimit: Number(v.rateLimit) };
                  if (kind.account) body[kind.account[0]] = dialect === 'zego' ? Number(v.account) : v.account;
                  if (v.secret) body[kind.secret[0]] = v.secret;
                  await put(dialect, body);
                  say(`${kind.name} upstream saved.`);
                  await read();
                }}
              >
                <Field label="Base URL">
                  <input name="url" type="url" placeholder={kind.url} value={u?.url ?? ''} size={34} />
                </Field>
                {kind.account && (
                  <Field label={kind.account[1]}>
                    {dialect === 'zego' ? (
                      <input name="account" required type="number" min={1} value={u ? String(stored?.[kind.account[0]] ?? '') : ''} />
                    ) : (
                      <input name="account" required value={u ? String(stored?.[kind.account[0]] ?? '') : ''} />
                    )}
                  </Field>
                )}
                <Field label={kind.secret[1]}>
                  <input
                    name="secret"
                    type="password"
                    required={!u}
                    autocomplete="off"
                    placeholder={u ? `unchanged unless typed (${String(stored?.[kind.secret[0]] ?? '')})` : ''}
                    key={u?.updatedAt ?? 'new'}
                  />
                </Field>
                <Field label="Sync requests per second">
                  <input name="rateLimit" type="number" min={1} value={u?.rateLimit ?? 10} class="narrow" />
                </Field>
                <button class="primary" type="submit">
                  Save {kind.name} upstream
                </button>
              </Form>
              {u && (
                <div class="row">
                  <button
                    type="button"
                    onClick={() =>
                      void guarded(async () => {
                        say(`Syncing ${whose} ${kind.name} upstream…`);
                        const r = (await sync(dialect)) as Sync;
                        say(
                          r.outcome === 'completed' ? `Synced: ${r.created} created, ${r.updated} updated, ${r.retired} retired.` : `Sync failed: ${r.error}`,
                        );
                        await read();
                      })
                    }
                  >
                    Sync {kind.name} now
                  </button>
                  <button
                    type="button"
                    class="danger"
                    onClick={() =>
                      void guarded(async () => {
                        if (!confirm(`Remove ${whose} ${kind.name} upstream? Calls timbrel does not serve are no longer relayed there; synced rows stay.`))
                          return;
                        await remove(dialect);
                        say('Removed.');
                        await read();
                      })
                    }
                  >
                    Remove {kind.name} upstream
                  </button>
                </div>
              )}
            </details>
          );
        })}
    </section>
  );
}
