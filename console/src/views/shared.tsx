import type { paths } from '@timbrel/client/native';
import { guarded, say } from '../ui.js';

/** A list route's query, as its form's fields gave it (the server checks every value). */
export type Query<P extends keyof paths> = paths[P] extends { get: { parameters: { query?: infer Q } } } ? NonNullable<Q> : never;
export const query = <P extends keyof paths>(params: URLSearchParams): Query<P> => Object.fromEntries(params) as Query<P>;

/** Retire (after a confirmation) or restore an asset; `changed` is told it left the list it was in. */
export function Lifecycle(props: {
  name: string;
  status: string;
  warning: string;
  retire: () => Promise<unknown>;
  restore: () => Promise<unknown>;
  changed: () => void;
}) {
  return (
    <div class="row lifecycle">
      {props.status === 'active' ? (
        <button
          type="button"
          class="danger"
          onClick={() =>
            void guarded(async () => {
              if (!confirm(`Retire “${props.name}”? ${props.warning}`)) return;
              await props.retire();
              say('Retired.');
              props.changed();
            })
          }
        >
          Retire
        </button>
      ) : (
        <button
          type="button"
          onClick={() =>
            void guarded(async () => {
              await props.restore();
              say(`Restored ${props.name}.`);
              props.changed();
            })
          }
        >
          Restore {props.name}
        </button>
      )}
    </div>
  );
}
