/**
 * A paged catalog list over a /v1 list route: the filters as a search form (every named input a query
 * parameter, empty ones left out), a sort, "N of M" (the total counted on the first page), cards or a table
 * (the choice is remembered), and "Load more" following the cursor — one page of 24 at a time, never the
 * whole list, so a catalog of a million stays as fast as the demo. An item opens in the detail drawer,
 * where everything that changes it lives.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { session } from './api.js';
import { Drawer, Field, guarded, Thumb } from './ui.js';

export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
  total?: number;
}
export interface Column<T> {
  head: string;
  cell: (item: T) => ComponentChildren;
}
interface Item {
  id: string;
  name: string;
  status?: string;
}
/** What the detail view is told when it changed its item: the item as it is now, or null when it left this list. */
export type Changed<T> = (next: T | null) => void;

export interface CatalogProps<T extends Item> {
  label: string;
  /** The attribute every item's element carries with its id (data-timbre, …). */
  attr: string;
  /** The search field, always shown. */
  filters: ComponentChildren;
  /** The other filters: shown on a desktop, a tap away on a phone. */
  more?: ComponentChildren;
  fetchPage: (query: URLSearchParams) => Promise<Page<T>>;
  picture: (item: T) => string | null | undefined;
  meta: (item: T) => string;
  /** More of a card under its header (a sample to play). */
  extra?: (item: T) => ComponentChildren;
  columns: Column<T>[];
  empty: string;
  detail: (item: T, changed: Changed<T>) => ComponentChildren;
  /** Changes when the list must be read again (something was created). */
  reload?: number;
}

const VIEW = 'timbrel.view';
/** Whether the screen is wider than a phone's (read once a list is shown). */
const wideScreen = () => matchMedia('(min-width: 641px)').matches;

export function Catalog<T extends Item>(props: CatalogProps<T>) {
  const form = useRef<HTMLFormElement>(null);
  const [items, setItems] = useState<T[]>([]);
  const [total, setTotal] = useState<number | undefined>();
  const [cursor, setCursor] = useState<string | undefined>();
  const [open, setOpen] = useState<T | undefined>();
  const [view, setView] = useState<'cards' | 'table'>(localStorage.getItem(VIEW) === 'table' ? 'table' : 'cards');
  const asked = useRef(0);
  const [wide] = useState(wideScreen);

  const load = async (reset: boolean) => {
    const params = new URLSearchParams({ limit: '24' });
    for (const [k, v] of new FormData(form.current!)) if (typeof v === 'string' && v.trim()) params.append(k, v.trim());
    if (reset) params.set('total', 'true');
    else if (cursor) params.set('cursor', cursor);
    const mine = ++asked.current;
    const page = await props.fetchPage(params);
    if (mine !== asked.current) return; // a newer search answered first
    if (reset) {
      setItems(page.items);
      setTotal(page.total ?? 0);
    } else setItems((now) => [...now, ...page.items.filter((i) => !now.some((n) => n.id === i.id))]);
    setCursor(page.nextCursor ?? undefined);
  };
  useEffect(() => void guarded(() => load(true)), [props.reload]);

  const changed: Changed<T> = (next) => {
    if (next === null) {
      setItems((now) => now.filter((i) => i.id !== open?.id));
      setTotal((t) => (t === undefined ? t : Math.max(0, t - 1)));
      setOpen(undefined);
    } else {
      setItems((now) => now.map((i) => (i.id === next.id ? next : i)));
      setOpen(next);
    }
  };
  const choose = (v: 'cards' | 'table') => {
    localStorage.setItem(VIEW, v);
    setView(v);
  };
  const attr = (item: T) => ({ [props.attr]: item.id });
  const opener = (item: T) => (
    <button type="button" class="title" aria-haspopup="dialog" onClick={() => setOpen(item)}>
      {item.name}
    </button>
  );
  const label = props.label.toLowerCase();

  return (
    <section aria-label={`${props.label} found`}>
      <form
        ref={form}
        class="row filters"
        role="search"
        aria-label={`Search ${label}`}
        onSubmit={(e) => {
          e.preventDefault();
          void guarded(() => load(true));
        }}
      >
        {props.filters}
        {props.more && (
          <details class="more" open={wide}>
            <summary>More filters</summary>
            <div class="row">{props.more}</div>
          </details>
        )}
        <Field label="Sort">
          <select name="sort">
            <option value="catalog">catalog order</option>
            <option value="name">name</option>
            <option value="-createdAt">newest</option>
          </select>
        </Field>
        <button type="submit">Search</button>
      </form>
      <div class="row between">
        <p class="meta count" aria-live="polite">
          {total === undefined ? '' : `${items.length.toLocaleString('en')} of ${total.toLocaleString('en')}`}
        </p>
        <div class="toggle" role="group" aria-label="Show as">
          <button type="button" aria-pressed={view === 'cards'} onClick={() => choose('cards')}>
            Cards
          </button>
          <button type="button" aria-pressed={view === 'table'} onClick={() => choose('table')}>
            Table
          </button>
        </div>
      </div>
      {total !== undefined && !items.length && <p>{props.empty}</p>}
      {view === 'cards' ? (
        <ul class="cards" aria-label={props.label}>
          {items.map((item) => (
            <li key={item.id} class="card" {...attr(item)}>
              <header>
                <Thumb src={props.picture(item)} name={item.name} id={item.id} />
                <div class="grow">
                  {opener(item)}
                  <div class="meta">{props.meta(item)}</div>
                </div>
              </header>
              {props.extra?.(item)}
            </li>
          ))}
        </ul>
      ) : (
        <div class="scroll">
          <table aria-label={props.label}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                {props.columns.map((c) => (
                  <th key={c.head} scope="col">
                    {c.head}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.id} {...attr(item)}>
                  <td>
                    <div class="row tight">
                      <Thumb src={props.picture(item)} name={item.name} id={item.id} />
                      {opener(item)}
                    </div>
                  </td>
                  {props.columns.map((c) => (
                    <td key={c.head}>{c.cell(item)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor && (
        <button type="button" onClick={() => void guarded(() => load(false))}>
          Load more
        </button>
      )}
      {open && (
        <Drawer label={open.name} onClose={() => setOpen(undefined)}>
          {props.detail(open, changed)}
        </Drawer>
      )}
    </section>
  );
}

/** Whose assets a list shows: every one the caller sees, the public catalog, or the private ones (an app's own). */
export function OwnerFilter() {
  return (
    <Field label="Owner">
      <select name="owner">
        <option value="">all</option>
        <option value="public">public</option>
        {session.operator ? <option value="private">apps’ private</option> : <option value="mine">mine</option>}
      </select>
    </Field>
  );
}

export function StatusFilter() {
  return (
    <Field label="Status">
      <select name="status">
        <option value="active">active</option>
        <option value="retired">retired</option>
      </select>
    </Field>
  );
}

/** Whether the signed-in caller may change an asset of `owner` (null: public): the operator any, an app its own. */
export const mayWrite = (owner: string | null | undefined) => session.operator || (owner ?? null) !== null;

/** An editor of some text fields of an asset; `save` gets the fields by key. */
export function Editor(props: { fields: [label: string, key: string, value: string][]; save: (values: Record<string, string>) => Promise<unknown> }) {
  const ref = useRef<HTMLFormElement>(null);
  return (
    <form
      ref={ref}
      class="stack"
      aria-label="Edit"
      onSubmit={(e) => {
        e.preventDefault();
        const values = Object.fromEntries([...new FormData(ref.current!)].map(([k, v]) => [k, String(v)]));
        void guarded(() => props.save(values));
      }}
    >
      {props.fields.map(([label, key, value]) => (
        <Field key={key} label={label}>
          <input name={key} value={value} required={key === 'name'} />
        </Field>
      ))}
      <div class="row">
        <button class="primary" type="submit">
          Save
        </button>
      </div>
    </form>
  );
}
