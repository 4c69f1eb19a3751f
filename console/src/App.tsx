import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { ApiClient, ApiError } from './api/client';
import { Scope, type WhoAmI } from './api/types';
import { BASE, ErrorText, Link, type Nav, NavContext, SessionContext } from './common';
import { AlertsPage } from './pages/AlertsPage';
import { AuditPage } from './pages/AuditPage';
import { DeliveriesPage } from './pages/DeliveriesPage';
import { HealthPage } from './pages/HealthPage';
import { HeartbeatsPage } from './pages/HeartbeatsPage';
import { KeysPage } from './pages/KeysPage';
import { PoisonPage } from './pages/PoisonPage';
import { SilencesPage } from './pages/SilencesPage';
import { allows, forgetKey, storedKey, storeKey } from './session';

interface PageDef {
  path: string;
  title: string;
  /** The scope the page's main read needs; the link is hidden without it. */
  scope: Scope | null;
  render: () => ReactNode;
}

const PAGES: PageDef[] = [
  { path: '/health', title: 'Health', scope: null, render: () => <HealthPage /> },
  { path: '/alerts', title: 'Alerts', scope: Scope.AlertsRead, render: () => <AlertsPage /> },
  { path: '/deliveries', title: 'Deliveries', scope: Scope.DeliveriesRead, render: () => <DeliveriesPage /> },
  { path: '/poison', title: 'Poison queue', scope: Scope.DeliveriesRead, render: () => <PoisonPage /> },
  { path: '/silences', title: 'Silences', scope: Scope.AlertsRead, render: () => <SilencesPage /> },
  { path: '/heartbeats', title: 'Heartbeats', scope: Scope.AlertsRead, render: () => <HeartbeatsPage /> },
  { path: '/keys', title: 'API keys', scope: Scope.Admin, render: () => <KeysPage /> },
  { path: '/audit', title: 'Audit', scope: Scope.AuditRead, render: () => <AuditPage /> },
];

function currentLocation(): { path: string; search: URLSearchParams } {
  const raw = window.location.pathname.startsWith(BASE) ? window.location.pathname.slice(BASE.length) : window.location.pathname;
  const path = raw === '' || raw === '/' ? '/health' : raw.replace(/\/$/, '');
  return { path, search: new URLSearchParams(window.location.search) };
}

function SignIn({ onSignedIn, reason }: { onSignedIn: (key: string, who: WhoAmI) => void; reason: string | null }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  return (
    <main className="signin">
      <h1>Tocsin console</h1>
      <form
        aria-label="Sign in"
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          const k = key.trim();
          new ApiClient(k).whoami().then(
            (who) => onSignedIn(k, who),
            (err: unknown) => {
              setBusy(false);
              setError(err instanceof ApiError && err.status === 401 ? new Error('This key is unknown, revoked or expired.') : err);
            },
          );
        }}
      >
        {reason && <p className="warn">{reason}</p>}
        <label>
          API key
          <input type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} required autoFocus />
        </label>
        <p className="muted">The key stays in this tab's session storage and is sent only to this service.</p>
        <button type="submit" className="primary" disabled={busy || key.trim() === ''}>
          Sign in
        </button>
        <ErrorText error={error} />
      </form>
    </main>
  );
}

export function App() {
  const [loc, setLoc] = useState(currentLocation);
  const [session, setSession] = useState<{ key: string; who: WhoAmI } | null>(null);
  const [checking, setChecking] = useState(() => storedKey() !== null);
  const [signInReason, setSignInReason] = useState<string | null>(null);

  useEffect(() => {
    const onPop = (): void => setLoc(currentLocation());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  // A key from an earlier page load in this tab: check it is still valid and learn its scopes.
  useEffect(() => {
    const key = storedKey();
    if (!key) return;
    new ApiClient(key).whoami().then(
      (who) => {
        setSession({ key, who });
        setChecking(false);
      },
      (err: unknown) => {
        if (err instanceof ApiError && err.status === 401) {
          forgetKey();
          setSignInReason('Your key is no longer valid; sign in again.');
        } else {
          setSignInReason(`Could not check the stored key: ${err instanceof Error ? err.message : String(err)}`);
        }
        setChecking(false);
      },
    );
  }, []);

  const go = useCallback((to: string) => {
    window.history.pushState(null, '', BASE + to);
    setLoc(currentLocation());
    window.scrollTo(0, 0);
  }, []);
  const nav: Nav = useMemo(() => ({ path: loc.path, search: loc.search, go }), [loc, go]);
  const api = useMemo(() => (session ? new ApiClient(session.key) : null), [session]);

  if (checking) return <p className="muted pad">Checking your key…</p>;
  if (!session || !api) {
    return (
      <SignIn
        reason={signInReason}
        onSignedIn={(key, who) => {
          storeKey(key);
          setSignInReason(null);
          setSession({ key, who });
        }}
      />
    );
  }
  const visible = PAGES.filter((p) => p.scope === null || allows(session.who, p.scope));
  const page = visible.find((p) => p.path === loc.path);
  return (
    <SessionContext.Provider value={{ api, who: session.who }}>
      <NavContext.Provider value={nav}>
        <a className="skip" href="#main">
          Skip to content
        </a>
        <header className="top">
          <span className="brand">Tocsin</span>
          <nav aria-label="Console pages">
            <ul>
              {visible.map((p) => (
                <li key={p.path}>
                  <Link to={p.path}>{p.title}</Link>
                </li>
              ))}
            </ul>
          </nav>
          <span className="who" data-testid="who">
            {session.who.keyName} <span className="muted">({session.who.scopes.join(', ')})</span>{' '}
            <button
              type="button"
              onClick={() => {
                forgetKey();
                setSession(null);
              }}
            >
              Sign out
            </button>
          </span>
        </header>
        <main id="main" tabIndex={-1}>
          {page ? (
            <div key={page.path}>{page.render()}</div>
          ) : (
            <p>
              No such page, or this key may not open it. <Link to="/health">Go to Health</Link>
            </p>
          )}
        </main>
      </NavContext.Provider>
    </SessionContext.Provider>
  );
}
