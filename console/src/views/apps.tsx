/**
 * Apps (the operator's): the list with each app's state and limit; an app's own page with its usage
 * plotted, its upstreams (last sync, its report, how relayed calls went), API keys, webhooks and secrets;
 * the operator's upstreams and webhooks.
 */
import { useEffect, useState } from 'preact/hooks';
import { data, dialects, v1, type ApiKey, type App, type Credentials, type DialectView } from '../api.js';
import { CopyButton, Field, Form, guarded, say } from '../ui.js';
import { UsagePanel } from './usage.js';
import { UpstreamsPanel } from './upstreams.js';
import { WebhooksPanel } from './webhooks.js';

const nameParam = (name: string) => ({ params: { path: { name } } });

function CredentialsPanel({ c }: { c: Credentials }) {
  const line = (label: string, value: string) => (
    <div class="row tight">
      <span>{label}: </span>
      <code class="secret">{value}</code>
      <CopyButton label={label} text={value} />
    </div>
  );
  return (
    <section class="card notice" aria-label={`Credentials of ${c.name}`}>
      <h2>Credentials of {c.name} — shown this once</h2>
      {line('ZEGO AppId', String(c.zego.AppId))}
      {line('ZEGO ServerSecret', c.zego.ServerSecret)}
      {line('IVH appkey', c.ivh.appkey)}
      {line('IVH accesstoken', c.ivh.accesstoken)}
      <div class="row tight">
        <strong>ZEGO curl</strong>
        <CopyButton label="ZEGO curl" text={c.curl.zego} />
      </div>
      <pre>{c.curl.zego}</pre>
      <div class="row tight">
        <strong>IVH curl</strong>
        <CopyButton label="IVH curl" text={c.curl.ivh} />
      </div>
      <pre>{c.curl.ivh}</pre>
    </section>
  );
}

export function AppsView() {
  const [apps, setApps] = useState<App[] | undefined>();
  const [shown, setShown] = useState<Credentials | undefined>();
  const read = () => guarded(async () => setApps((await data(v1().GET('/v1/apps'))).items));
  useEffect(() => void read(), []);
  const patch = async (a: App, body: { status?: App['status']; rateLimit?: number }) => {
    await v1().PATCH('/v1/apps/{name}', { ...nameParam(a.name), body });
    await read();
  };
  return (
    <>
      <h1 tabIndex={-1}>Apps</h1>
      <p class="meta">
        Each app is a tenant: its own private catalog, credentials for every dialect, API keys, usage and upstreams.{' '}
        <a href="#/operator">The operator’s upstreams and webhooks</a>
      </p>
      <Form
        run={async (v) => {
          const r = await data(v1().POST('/v1/apps', { body: { name: v.name, ...(v.rateLimit ? { rateLimit: Number(v.rateLimit) } : {}) } }));
          setShown(r.credentials);
          await read();
        }}
      >
        {/* The server's rule (APP_NAME). Browsers compile `pattern` with the `v` flag, where a `-` in a class
            must be escaped: unescaped, Chromium drops the pattern and checks nothing. */}
        <Field label="App name">
          <input
            name="name"
            required
            pattern="[A-Za-z0-9][A-Za-z0-9._\-]{0,63}"
            title="letters, digits, . _ and -, starting with a letter or digit; at most 64"
          />
        </Field>
        <Field label="Requests per second">
          <input name="rateLimit" type="number" min={1} placeholder="default" size={8} />
        </Field>
        <button class="primary" type="submit">
          Create app
        </button>
      </Form>
      {shown && <CredentialsPanel c={shown} />}
      <div class="scroll">
        <table aria-label="Apps">
          <thead>
            <tr>
              <th scope="col">App</th>
              <th scope="col">Identifiers</th>
              <th scope="col">Requests per second</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {apps?.map((a) => (
              <tr key={a.name} data-app={a.name}>
                <td>
                  <a href={`#/apps/${encodeURIComponent(a.name)}`}>
                    <strong>{a.name}</strong>
                  </a>
                  <div class="meta">{a.status}</div>
                </td>
                <td>
                  <div>ZEGO AppId {a.zego.AppId}</div>
                  <div class="meta">IVH appkey {a.ivh.appkey}</div>
                </td>
                <td>
                  <Form run={(v) => patch(a, { rateLimit: Number(v.limit) }).then(() => say('Rate limit saved.'))} keep class="row tight">
                    <input name="limit" type="number" min={1} value={a.rateLimit} class="narrow" aria-label={`Rate limit of ${a.name}`} />
                    <button type="submit">Set limit</button>
                  </Form>
                </td>
                <td>
                  <StatusButton a={a} patch={patch} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function StatusButton({ a, patch }: { a: App; patch: (a: App, body: { status: App['status'] }) => Promise<void> }) {
  return (
    <button
      type="button"
      class={a.status === 'active' ? 'danger' : ''}
      onClick={() =>
        void guarded(async () => {
          const next = a.status === 'active' ? 'disabled' : 'active';
          if (next === 'disabled' && !confirm(`Disable ${a.name}? Its calls are refused in every dialect until it is enabled again.`)) return;
          await patch(a, { status: next });
          say(next === 'active' ? `${a.name} enabled.` : `${a.name} disabled.`);
        })
      }
    >
      {a.status === 'active' ? 'Disable' : 'Enable'}
    </button>
  );
}

/** One app's page: its state, usage, upstreams, keys, webhooks and secrets. */
export function AppView({ name }: { name: string }) {
  const [app, setApp] = useState<App | undefined>();
  const [shown, setShown] = useState<Credentials | undefined>();
  const read = () => guarded(async () => setApp(await data(v1().GET('/v1/apps/{name}', nameParam(name)))));
  useEffect(() => void read(), [name]);
  const patch = async (_a: App, body: { status?: App['status'] }) => {
    setApp(await data(v1().PATCH('/v1/apps/{name}', { ...nameParam(name), body })));
  };
  const rotate = (dialect: 'zego' | 'ivh') =>
    guarded(async () => {
      if (!confirm(`Rotate ${name}'s ${dialect.toUpperCase()} secret? The old one keeps working for 24 h.`)) return;
      const r = await data(v1().POST('/v1/apps/{name}/rotate', { ...nameParam(name), body: { dialect } }));
      setShown(r.credentials);
    });
  return (
    <>
      <p class="meta">
        <a href="#/apps">Apps</a> ›
      </p>
      <h1 tabIndex={-1}>{name}</h1>
      {app && (
        <div class="row between" data-app={name}>
          <div>
            <span class={`badge ${app.status === 'active' ? 'good' : 'bad'}`}>{app.status}</span>{' '}
            <span class="meta">
              ZEGO AppId {app.zego.AppId} · IVH appkey {app.ivh.appkey} · {app.rateLimit} requests a second
            </span>
          </div>
          <div class="row tight">
            <button type="button" onClick={() => void rotate('zego')}>
              Rotate ZEGO
            </button>
            <button type="button" onClick={() => void rotate('ivh')}>
              Rotate IVH
            </button>
            <StatusButton a={app} patch={patch} />
          </div>
        </div>
      )}
      {shown && <CredentialsPanel c={shown} />}
      <UsagePanel app={name} />
      <UpstreamsPanel app={name} />
      <KeysPanel app={name} />
      <WebhooksPanel app={name} />
    </>
  );
}

export function OperatorView() {
  return (
    <>
      <h1 tabIndex={-1}>Operator</h1>
      <p class="meta">What serves every app: upstreams for the apps without their own, and webhooks of every event.</p>
      <UpstreamsPanel />
      <WebhooksPanel />
    </>
  );
}

/** An app's API keys: list (never the keys themselves), create (shown once, with where it works), revoke. */
function KeysPanel({ app }: { app: string }) {
  const [items, setItems] = useState<ApiKey[] | undefined>();
  const [made, setMade] = useState<{ key: string; where: DialectView[] } | undefined>();
  const read = () => guarded(async () => setItems((await data(v1().GET('/v1/apps/{name}/keys', nameParam(app)))).items));
  useEffect(() => void read(), [app]);
  const origin = location.origin;
  const curl = made && `curl -H 'xi-api-key: ${made.key}' '${origin}/elevenlabs/v2/voices?page_size=5'`;
  return (
    <section aria-label={`API keys of ${app}`} class="panel" data-panel="keys">
      <h2>API keys of {app}</h2>
      {made && (
        <div class="card notice">
          <p>The new key, shown this once:</p>
          <div class="row tight">
            <code class="secret">{made.key}</code>
            <CopyButton label="key" text={made.key} />
          </div>
          <ul class="meta" aria-label="Where the key works">
            {made.where.map((d) => (
              <li key={d.name}>
                {d.label}: base URL <code>{d.baseUrl.replace(/^https?:\/\/[^/]+/, origin)}</code> ({d.auth})
              </li>
            ))}
          </ul>
          <div class="row tight">
            <strong>ElevenLabs curl</strong>
            <CopyButton label="ElevenLabs curl" text={curl!} />
          </div>
          <pre>{curl}</pre>
        </div>
      )}
      {items && items.length === 0 && <p>No API keys yet.</p>}
      {items && items.length > 0 && (
        <ul class="looks">
          {items.map((k) => (
            <li key={k.id} data-key={k.id}>
              <strong>{k.name}</strong>
              <span class="meta">
                {' '}
                created {k.createdAt.slice(0, 10)}
                {k.revokedAt ? ` · revoked ${k.revokedAt.slice(0, 10)}` : ''}
              </span>
              {!k.revokedAt && (
                <button
                  type="button"
                  class="link danger"
                  onClick={() =>
                    void guarded(async () => {
                      if (!confirm(`Revoke the key “${k.name}” of ${app}? Calls with it fail at once.`)) return;
                      await v1().DELETE('/v1/apps/{name}/keys/{id}', { params: { path: { name: app, id: k.id } } });
                      say('Revoked.');
                      await read();
                    })
                  }
                >
                  Revoke {k.name}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <Form
        run={async (v) => {
          const r = await data(v1().POST('/v1/apps/{name}/keys', { ...nameParam(app), body: { name: v.label } }));
          // Every dialect an API key opens, as the server describes them (GET /v1/dialects).
          setMade({ key: r.key, where: (await dialects()).filter((d) => !d.auth.includes('signature')) });
          await read();
        }}
      >
        <Field label="Key name">
          <input name="label" required maxLength={64} placeholder="e.g. backend" />
        </Field>
        <button class="primary" type="submit">
          Create key
        </button>
      </Form>
    </section>
  );
}
