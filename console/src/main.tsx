/**
 * timbrel's web console: a single page over the native /v1 API, served at /console/, built with Preact and
 * bundled by esbuild (scripts/build-console.mjs). Nothing is loaded from elsewhere (the page's CSP allows
 * its own scripts and styles only). Text from the catalog only ever enters the page as text.
 */
import { render } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { data, explain, session, TimbrelClientError, v1 } from './api.js';
import { clearToasts, Field, guarded, Md, say, Toasts, whenUnauthorized } from './ui.js';
import { TimbresView } from './views/timbres.js';
import { DigitalHumansView } from './views/digital-humans.js';
import { AnchorsView } from './views/anchors.js';
import { AppsView, AppView, OperatorView } from './views/apps.js';
import { TryView } from './views/try.js';

const NAV = [
  ['#/timbres', 'Timbres', false],
  ['#/digital-humans', 'Digital humans', false],
  ['#/anchors', 'Anchors', false],
  ['#/apps', 'Apps', true],
  ['#/try', 'Try it', true],
] as const;

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

function Shell() {
  const hash = useHash();
  const [signedIn, setSignedIn] = useState(!!session.token);
  const main = useRef<HTMLElement>(null);
  const signOut = () => {
    session.clear();
    setSignedIn(false);
    if (location.hash && location.hash !== '#') location.hash = '';
  };
  whenUnauthorized(signOut);

  // A view's own parameters follow a '?' (#/anchors?code=ava); an app's page is #/apps/<name>.
  const [path, search] = hash.split('?');
  const section = path.startsWith('#/apps/') ? '#/apps' : path === '#/operator' ? '#/apps' : path;
  const known = NAV.some(([href, , op]) => href === section && (!op || session.operator));
  const current = known ? section : '#/timbres';

  // A new page: the toasts go, the page starts at its top, and focus moves to its heading (the sticky
  // navigation stays in view).
  useLayoutEffect(() => {
    if (!signedIn) return;
    clearToasts();
    scrollTo(0, 0);
    const h1 = main.current?.querySelector<HTMLElement>('h1');
    (h1 ?? main.current)?.focus({ preventScroll: true });
  }, [hash, signedIn]);

  if (!signedIn)
    return (
      <Frame>
        <main id="main" tabIndex={-1} ref={main}>
          <SignIn done={() => setSignedIn(true)} />
        </main>
      </Frame>
    );

  let view;
  if (path.startsWith('#/apps/') && session.operator) view = <AppView key={path} name={decodeURIComponent(path.slice('#/apps/'.length))} />;
  else if (path === '#/operator' && session.operator) view = <OperatorView />;
  else if (current === '#/digital-humans') view = <DigitalHumansView />;
  else if (current === '#/anchors') view = <AnchorsView key={hash} code={new URLSearchParams(search ?? '').get('code') ?? ''} />;
  else if (current === '#/apps') view = <AppsView />;
  else if (current === '#/try') view = <TryView />;
  else view = <TimbresView />;

  return (
    <Frame
      nav={
        <nav aria-label="Sections" id="nav">
          {NAV.filter(([, , op]) => !op || session.operator).map(([href, label]) => (
            <a key={href} href={href} aria-current={href === current ? 'page' : undefined}>
              {label}
            </a>
          ))}
          <button type="button" id="signout" class="link" onClick={signOut}>
            Sign out
          </button>
        </nav>
      }
    >
      <main id="main" tabIndex={-1} ref={main}>
        {view}
      </main>
    </Frame>
  );
}

function Frame(props: { nav?: preact.ComponentChildren; children: preact.ComponentChildren }) {
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <header class="top">
        <span class="brand">
          <img src="favicon.svg" alt="timbrel" width={22} height={22} />
          <span class="name" aria-hidden="true">
            timbrel
          </span>
        </span>
        {props.nav}
      </header>
      {props.children}
      <Toasts />
    </>
  );
}

function SignIn({ done }: { done: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  return (
    <>
      <h1 tabIndex={-1}>Sign in</h1>
      <p>
        <Md text="The operator token is printed by `timbrel serve` on first start; an app key comes from `timbrel keys create`." />
      </p>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          const token = input.current!.value;
          void (async () => {
            try {
              await data(v1(token).GET('/v1/timbres', { params: { query: { limit: 1 } } }));
              let operator = true;
              try {
                await data(v1(token).GET('/v1/apps'));
              } catch (err) {
                if (err instanceof TimbrelClientError && err.status === 403) operator = false;
                else throw err;
              }
              session.set(token, operator);
              if (location.hash !== '#/timbres' && !location.hash.startsWith('#/')) location.hash = '#/timbres';
              done();
            } catch (err) {
              say(explain(err), true);
            }
          })();
        }}
      >
        <Field label="Operator token or API key">
          <input ref={input} type="password" name="token" required autocomplete="current-password" size={44} />
        </Field>
        <button class="primary" type="submit">
          Sign in
        </button>
      </form>
    </>
  );
}

void guarded(() => render(<Shell />, document.getElementById('app')!));
