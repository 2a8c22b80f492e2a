/**
 * Webhook endpoints of an app (or the operator's, of every event): add one (its signing secret shown once),
 * send a test event, see its deliveries and redeliver one, rotate the secret, disable, enable, remove.
 */
import { useEffect, useState } from 'preact/hooks';
import { data, v1, type Delivery, type Webhook } from '../api.js';
import { CopyButton, Field, Form, guarded, say } from '../ui.js';

export function WebhooksPanel({ app }: { app?: string }) {
  const [items, setItems] = useState<Webhook[] | undefined>();
  const [secret, setSecret] = useState<{ text: string; secret: string } | undefined>();
  const title = app === undefined ? 'Operator’s webhooks' : `Webhooks of ${app}`;
  const read = () => guarded(async () => setItems((await data(v1().GET('/v1/webhooks'))).items.filter((w) => w.app === (app ?? null))));
  useEffect(() => void read(), [app]);
  return (
    <section aria-label={title} class="panel" data-panel="webhooks">
      <h2>{title}</h2>
      <p class="meta">
        {app === undefined ? 'Every event of the catalog' : `The public catalog’s events and ${app}’s own`}, signed (Standard Webhooks: webhook-id,
        webhook-timestamp, webhook-signature).
      </p>
      {secret && (
        <div class="card notice">
          <p>{secret.text}</p>
          <div class="row tight">
            <code class="secret">{secret.secret}</code>
            <CopyButton label="secret" text={secret.secret} />
          </div>
        </div>
      )}
      {items?.length === 0 && <p>No webhook endpoints yet.</p>}
      {items && items.length > 0 && (
        <ul class="looks">
          {items.map((w) => (
            <Endpoint
              key={w.id}
              w={w}
              changed={read}
              rotated={(s, until) =>
                setSecret({ text: `The new secret of ${w.url}, shown this once (the old one signs too until ${until.slice(0, 16)}):`, secret: s })
              }
            />
          ))}
        </ul>
      )}
      <Form
        run={async (v) => {
          const types = v.types
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean);
          const made = await data(
            v1().POST('/v1/webhooks', {
              body: {
                url: v.url,
                ...(v.description ? { description: v.description } : {}),
                ...(types.length ? { types } : {}),
                ...(app === undefined ? {} : { app }),
              },
            }),
          );
          await read();
          setSecret({ text: `The signing secret of ${made.url}, shown this once:`, secret: made.secret });
        }}
      >
        <Field label="Endpoint URL">
          <input name="url" type="url" required placeholder="https://example.com/timbrel-events" size={36} />
        </Field>
        <Field label="Event types">
          <input name="types" placeholder="every event, or e.g. timbre.*, binding.updated" size={30} />
        </Field>
        <Field label="Description">
          <input name="description" maxLength={256} />
        </Field>
        <button class="primary" type="submit">
          Add endpoint
        </button>
      </Form>
    </section>
  );
}

function Endpoint({ w, changed, rotated }: { w: Webhook; changed: () => Promise<void>; rotated: (secret: string, until: string) => void }) {
  const [deliveries, setDeliveries] = useState<Delivery[] | undefined>();
  const id = { params: { path: { id: w.id } } };
  const readDeliveries = () =>
    guarded(async () => setDeliveries((await data(v1().GET('/v1/webhooks/{id}/deliveries', { params: { path: { id: w.id }, query: { limit: 20 } } }))).items));
  return (
    <li data-webhook={w.id} class="endpoint">
      <strong>{w.url}</strong>
      <div class="meta">
        {w.status}
        {w.disabledReason ? ` (${w.disabledReason})` : ''} · {w.types.length ? w.types.join(', ') : 'every event'}
        {w.failingSince ? ` · failing since ${w.failingSince.slice(0, 16).replace('T', ' ')}` : ''}
        {w.description ? ` · ${w.description}` : ''}
      </div>
      <div class="row tight">
        <button
          type="button"
          onClick={() =>
            void guarded(async () => {
              await v1().POST('/v1/webhooks/{id}/test', id);
              say('Test event sent.');
              await readDeliveries();
            })
          }
        >
          Send a test event
        </button>
        <button type="button" onClick={() => void readDeliveries()}>
          Deliveries
        </button>
        <button
          type="button"
          onClick={() =>
            void guarded(async () => {
              if (!confirm(`Rotate the signing secret of ${w.url}? The old one keeps signing for 24 h.`)) return;
              const r = await data(v1().POST('/v1/webhooks/{id}/rotate-secret', id));
              rotated(r.secret, r.previousSecretValidUntil);
              say('Secret rotated.');
            })
          }
        >
          Rotate secret
        </button>
        <button
          type="button"
          onClick={() =>
            void guarded(async () => {
              await v1().PATCH('/v1/webhooks/{id}', { ...id, body: { status: w.status === 'enabled' ? 'disabled' : 'enabled' } });
              say(w.status === 'enabled' ? 'Disabled.' : 'Enabled: deliveries go on from where they stopped.');
              await changed();
            })
          }
        >
          {w.status === 'enabled' ? 'Disable' : 'Enable'}
        </button>
        <button
          type="button"
          class="danger"
          onClick={() =>
            void guarded(async () => {
              if (!confirm(`Remove the endpoint ${w.url}? Its deliveries stop.`)) return;
              await v1().DELETE('/v1/webhooks/{id}', id);
              say('Removed.');
              await changed();
            })
          }
        >
          Remove
        </button>
      </div>
      {deliveries && (
        <>
          {deliveries.length ? (
            <div class="scroll">
              <table aria-label={`Deliveries to ${w.url}`}>
                <thead>
                  <tr>
                    <th scope="col">Event</th>
                    <th scope="col">Status</th>
                    <th scope="col">Attempts</th>
                    <th scope="col">Answer</th>
                    <th scope="col">When</th>
                    <th scope="col">
                      <span class="visually-hidden">Redeliver</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {deliveries.map((d) => (
                    <tr key={d.id} data-delivery={d.id}>
                      <td>
                        {d.eventType}
                        <div class="meta">{d.eventId}</div>
                      </td>
                      <td>
                        {d.status}
                        {d.redeliveryOf ? <div class="meta">redelivery</div> : null}
                      </td>
                      <td>{d.attempts}</td>
                      <td>
                        {d.lastStatus === null ? (d.lastError ?? '—') : `HTTP ${d.lastStatus}`}
                        {d.lastDurationMs === null ? null : <div class="meta">{d.lastDurationMs} ms</div>}
                      </td>
                      <td>{d.updatedAt.slice(0, 19).replace('T', ' ')}</td>
                      <td>
                        <button
                          type="button"
                          onClick={() =>
                            void guarded(async () => {
                              await v1().POST('/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver', { params: { path: { id: w.id, deliveryId: d.id } } });
                              say('Redelivery queued.');
                              await readDeliveries();
                            })
                          }
                        >
                          Redeliver
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p class="meta">No deliveries yet.</p>
          )}
          <button type="button" class="link" onClick={() => void readDeliveries()}>
            Refresh deliveries
          </button>
        </>
      )}
    </li>
  );
}
