/**
 * The console's small parts: toasts, guarded actions, fields, the detail drawer, pictures with a
 * placeholder, audio with its duration and waveform, inline code from backticks, copy buttons.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { explain, session, TimbrelClientError, upload } from './api.js';

// ---- toasts -----------------------------------------------------------------------------------------------

interface Toast {
  id: number;
  text: string;
  error: boolean;
}
let toasts: Toast[] = [];
let nextToast = 0;
const toastListeners = new Set<(t: Toast[]) => void>();
const publish = () => toastListeners.forEach((l) => l(toasts));

/** A short message in the corner: the newest two stay, each for a few seconds; a new page clears them. */
export function say(text: string, error = false) {
  const t = { id: nextToast++, text, error };
  toasts = [...toasts, t].slice(-2);
  publish();
  setTimeout(
    () => {
      toasts = toasts.filter((x) => x !== t);
      publish();
    },
    error ? 8000 : 3000,
  );
}
export function clearToasts() {
  toasts = [];
  publish();
}

export function Toasts() {
  const [list, setList] = useState(toasts);
  useEffect(() => {
    toastListeners.add(setList);
    return () => void toastListeners.delete(setList);
  }, []);
  return (
    <div id="status" role="status" aria-live="polite">
      {list.map((t) => (
        <p key={t.id} class={t.error ? 'error' : ''}>
          {t.text}
        </p>
      ))}
    </div>
  );
}

let onUnauthorized = () => {};
export function whenUnauthorized(f: () => void) {
  onUnauthorized = f;
}

/** Runs an action; a failure is shown, not thrown (a 401 signs out). */
export async function guarded(fn: () => Promise<unknown> | unknown): Promise<void> {
  try {
    await fn();
  } catch (err) {
    say(explain(err), true);
    if (err instanceof TimbrelClientError && err.status === 401 && session.token) onUnauthorized();
  }
}

/**
 * A form whose submit runs `run` with the form's named values without reloading the page; the form is
 * emptied after a success unless `keep`. A failure is shown, not thrown.
 */
export function Form(props: {
  run: (values: Record<string, string>) => Promise<unknown>;
  class?: string;
  label?: string;
  keep?: boolean;
  children: ComponentChildren;
}) {
  const [busy, setBusy] = useState(false);
  return (
    <form
      class={props.class ?? 'row'}
      aria-label={props.label}
      aria-busy={busy}
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const values = Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, typeof v === 'string' ? v : '']));
        setBusy(true);
        void guarded(async () => {
          await props.run(values);
          if (!props.keep) form.reset();
        }).finally(() => setBusy(false));
      }}
    >
      {props.children}
    </form>
  );
}

export function Field(props: { label: string; children: ComponentChildren; wide?: boolean }) {
  return (
    <label class={props.wide ? 'wide' : undefined}>
      <span>{props.label}</span>
      {props.children}
    </label>
  );
}

export function Options(props: { values: readonly string[]; any?: string }) {
  return (
    <>
      {props.any !== undefined && <option value="">{props.any}</option>}
      {props.values.map((v) => (
        <option key={v} value={v}>
          {v}
        </option>
      ))}
    </>
  );
}

/** Text with `backticks` shown as code, as the docs write it. */
export function Md(props: { text: string }) {
  return (
    <>
      {props.text.split('`').map((part, i) =>
        i % 2 ? (
          <code key={i} class="inline">
            {part}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}

export function CopyButton(props: { label: string; text: string }) {
  return (
    <button
      type="button"
      onClick={() =>
        void navigator.clipboard.writeText(props.text).then(
          () => say(`${props.label} copied.`),
          () => say('Copy failed: select the text instead.', true),
        )
      }
    >
      Copy {props.label}
    </button>
  );
}

// ---- pictures ---------------------------------------------------------------------------------------------

const hash = (s: string) => [...s].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => [...w][0]?.toUpperCase() ?? '')
    .join('') || '?';

/** A picture, or where there is none (or it fails to load) a tile with the name's initials. */
export function Thumb(props: { src?: string | null; name: string; id: string; size?: 'big' }) {
  const [failed, setFailed] = useState(false);
  const cls = `thumb${props.size ? ` ${props.size}` : ''}`;
  if (props.src && !failed) return <img class={cls} src={props.src} alt="" loading="lazy" onError={() => setFailed(true)} />;
  return (
    <span class={`${cls} placeholder ph-${hash(props.id) % 8}`} aria-hidden="true">
      {initials(props.name)}
    </span>
  );
}

// ---- audio ------------------------------------------------------------------------------------------------

export const clock = (s: number) => (Number.isFinite(s) ? `${Math.floor(s / 60)}:${(s % 60).toFixed(1).padStart(4, '0')}` : '–');

/** A sample's player with its length once known. */
export function Sample(props: { src: string; label: string }) {
  const [duration, setDuration] = useState<number | undefined>();
  return (
    <div class="sample">
      <audio controls preload="metadata" src={props.src} aria-label={props.label} onLoadedMetadata={(e) => setDuration(e.currentTarget.duration)} />
      <span class="meta duration" aria-label={`Length of ${props.label.replace(/^Sample of /, '')}`}>
        {duration === undefined ? '' : clock(duration)}
      </span>
    </div>
  );
}

/**
 * A sample's waveform: its peaks drawn from the decoded audio (fetched from this origin only, as the page's
 * CSP allows; a sample elsewhere shows no waveform), with its length.
 */
export function Waveform(props: { src: string; label: string }) {
  const [peaks, setPeaks] = useState<number[] | undefined>();
  const [seconds, setSeconds] = useState<number | undefined>();
  useEffect(() => {
    let live = true;
    const url = new URL(props.src, location.href);
    if (url.origin !== location.origin) return;
    void (async () => {
      try {
        const bytes = await (await fetch(url)).arrayBuffer();
        const ctx = new OfflineAudioContext(1, 1, 8000);
        const audio = await ctx.decodeAudioData(bytes);
        const data = audio.getChannelData(0);
        const bars = 96;
        const step = Math.max(1, Math.floor(data.length / bars));
        const out: number[] = [];
        for (let b = 0; b < bars; b++) {
          let max = 0;
          for (let i = b * step; i < Math.min(data.length, (b + 1) * step); i++) max = Math.max(max, Math.abs(data[i]));
          out.push(max);
        }
        const top = Math.max(...out, 1e-6);
        if (live) {
          setPeaks(out.map((p) => p / top));
          setSeconds(audio.duration);
        }
      } catch {
        // not decodable here: the player still plays what the browser can
      }
    })();
    return () => {
      live = false;
    };
  }, [props.src]);
  if (!peaks) return null;
  return (
    <svg class="waveform" viewBox="0 0 96 24" preserveAspectRatio="none" role="img" aria-label={`Waveform of ${props.label}, ${clock(seconds ?? NaN)} long`}>
      {peaks.map((p, i) => (
        <rect key={i} x={i + 0.15} width={0.7} y={12 - Math.max(0.5, p * 11)} height={Math.max(1, p * 22)} />
      ))}
    </svg>
  );
}

// ---- the detail drawer ------------------------------------------------------------------------------------

/**
 * A drawer over the page (a modal <dialog>: focus stays inside, Escape closes, focus returns to what opened
 * it). `label` names it for assistive technology.
 */
export function Drawer(props: { label: string; onClose: () => void; children: ComponentChildren }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current!;
    const opener = document.activeElement as HTMLElement | null;
    if (!d.open) d.showModal();
    return () => {
      if (d.open) d.close();
      opener?.focus?.({ preventScroll: true });
    };
  }, []);
  return (
    <dialog
      ref={ref}
      class="drawer"
      aria-label={props.label}
      onClose={props.onClose}
      onClick={(e) => {
        // A click on the backdrop (the dialog itself, outside its content) closes it.
        if (e.target === ref.current) props.onClose();
      }}
    >
      <div class="drawer-body">
        <div class="drawer-top">
          <h2>{props.label}</h2>
          <button type="button" class="link" onClick={props.onClose} aria-label="Close details">
            ✕
          </button>
        </div>
        {props.children}
      </div>
    </dialog>
  );
}

/** A file input that uploads what is chosen to `path` with its progress, then calls `done`. */
export function UploadField(props: { label: string; aria: string; accept: string; path: string; done: () => void }) {
  const [progress, setProgress] = useState<number | undefined>();
  return (
    <label class="upload">
      <span>{props.label}</span>
      <input
        type="file"
        accept={props.accept}
        aria-label={props.aria}
        onChange={(e) => {
          const input = e.currentTarget;
          const file = input.files?.[0];
          if (!file) return;
          setProgress(0);
          void guarded(async () => {
            await upload(props.path, file, setProgress);
            say('Uploaded.');
            props.done();
          }).finally(() => {
            setProgress(undefined);
            input.value = '';
          });
        }}
      />
      {progress !== undefined && <progress max={1} value={progress} aria-label={`Progress of ${props.aria}`} />}
    </label>
  );
}

/** A page's heading with its actions beside it (a "New …" button opening its form in a drawer). */
export function PageHead(props: { title: string; children?: ComponentChildren }) {
  return (
    <div class="page-head">
      <h1 tabIndex={-1}>{props.title}</h1>
      <div class="row tight">{props.children}</div>
    </div>
  );
}

/** A button that opens `form` in a drawer named `label`; `form` gets `close` to call once it is done. */
export function DrawerButton(props: { label: string; primary?: boolean; form: (close: () => void) => ComponentChildren }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" class={props.primary ? 'primary' : undefined} aria-haspopup="dialog" onClick={() => setOpen(true)}>
        {props.label}
      </button>
      {open && (
        <Drawer label={props.label} onClose={() => setOpen(false)}>
          {props.form(() => setOpen(false))}
        </Drawer>
      )}
    </>
  );
}
