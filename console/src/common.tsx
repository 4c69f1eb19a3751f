import { createContext, type ReactNode, useCallback, useContext, useEffect, useId, useState } from 'react';
import type { ApiClient } from './api/client';
import type { WhoAmI } from './api/types';

export const MIN_REASON_LENGTH = 20;

export interface Session {
  api: ApiClient;
  who: WhoAmI;
}
export const SessionContext = createContext<Session | null>(null);
export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in console');
  return s;
}

/** Client-side navigation under /console (the service answers index.html for every such path). */
export const BASE = '/console';
export interface Nav {
  path: string;
  search: URLSearchParams;
  go: (to: string) => void;
}
export const NavContext = createContext<Nav>({ path: '/', search: new URLSearchParams(), go: () => undefined });
export const useNav = (): Nav => useContext(NavContext);

export function Link({ to, children, className }: { to: string; children: ReactNode; className?: string }) {
  const nav = useNav();
  return (
    <a
      href={BASE + to}
      className={className}
      aria-current={nav.path === to.split('?')[0] ? 'page' : undefined}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        nav.go(to);
      }}
    >
      {children}
    </a>
  );
}

/** A time in the browser's zone, with UTC on hover. */
export function Time({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span className="muted">—</span>;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return <span>{iso}</span>;
  return (
    <time dateTime={d.toISOString()} title={`${d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace('Z', ' UTC')}`}>
      {d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' })}
    </time>
  );
}

/** A datetime-local value (browser's zone) as RFC 3339 UTC, or undefined when empty. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function ErrorText({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {error instanceof Error ? error.message : String(error)}
    </p>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <p className="notice" role="status">
      {children}
    </p>
  );
}

export function Labels({ labels }: { labels: Record<string, string> }) {
  return (
    <span className="labels">
      {Object.entries(labels)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => (
          <code key={k} className="label">
            {k}={v}
          </code>
        ))}
    </span>
  );
}

export function StateBadge({ state }: { state: string }) {
  return <span className={`badge badge-${state.replace(/[^a-z_]/gi, '')}`}>{state}</span>;
}

/** Loads `load` on mount and whenever `deps` change; `reload` runs it again. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | null; error: unknown; loading: boolean; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setLoading(true);
    load().then(
      (d) => {
        if (!live) return;
        setData(d);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

/**
 * The confirmation every destructive or sending-changing action needs: a reason of at least
 * 20 characters AND a ticked acknowledgement box; the submit button stays disabled until both hold.
 */
export function ReasonConfirm(props: {
  title: string;
  consequence: string;
  submitLabel: string;
  onSubmit: (reason: string) => Promise<void>;
  onCancel?: () => void;
  children?: ReactNode;
}) {
  const id = useId();
  const [reason, setReason] = useState('');
  const [ack, setAck] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const length = reason.trim().length;
  const ready = length >= MIN_REASON_LENGTH && ack && !busy;
  return (
    <form
      className="confirm"
      aria-label={props.title}
      onSubmit={(e) => {
        e.preventDefault();
        if (!ready) return;
        setBusy(true);
        setError(null);
        props.onSubmit(reason.trim()).then(
          () => setBusy(false),
          (err: unknown) => {
            setBusy(false);
            setError(err);
          },
        );
      }}
    >
      <h3>{props.title}</h3>
      {props.children}
      <label htmlFor={`${id}-reason`}>Reason (at least {MIN_REASON_LENGTH} characters; recorded in the audit log)</label>
      <textarea id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} rows={3} aria-describedby={`${id}-count`} />
      <small id={`${id}-count`} className={length >= MIN_REASON_LENGTH ? 'muted' : 'warn'}>
        {length} / {MIN_REASON_LENGTH} characters
      </small>
      <label className="check">
        <input type="checkbox" checked={ack} onChange={(e) => setAck(e.target.checked)} /> I understand: {props.consequence}
      </label>
      <div className="actions">
        <button type="submit" className="danger" disabled={!ready}>
          {busy ? 'Working…' : props.submitLabel}
        </button>
        {props.onCancel && (
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
        )}
      </div>
      <ErrorText error={error} />
    </form>
  );
}

/** A two-step button: the first click asks, the second (Confirm) acts. */
export function ConfirmButton(props: { label: string; question: string; confirmLabel: string; onConfirm: () => Promise<void>; className?: string }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (!asking)
    return (
      <button type="button" className={props.className} onClick={() => setAsking(true)}>
        {props.label}
      </button>
    );
  return (
    <span className="inline-confirm" role="group" aria-label={props.question}>
      <span>{props.question}</span>{' '}
      <button
        type="button"
        className="danger"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          props.onConfirm().then(
            () => {
              setBusy(false);
              setAsking(false);
            },
            (e: unknown) => {
              setBusy(false);
              setError(e);
            },
          );
        }}
      >
        {props.confirmLabel}
      </button>{' '}
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
      <ErrorText error={error} />
    </span>
  );
}
