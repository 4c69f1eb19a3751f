import { useEffect, useMemo, useState } from 'react';
import type { AlertView, SilenceMatcher } from '../api/types';
import { Scope } from '../api/types';
import { ConfirmButton, ErrorText, Labels, Notice, StateBadge, Time, useLoad, useNav, useSession } from '../common';
import { MATCHER_OPS, type MatcherOp, matcherFromOp, matchersToFilter, matcherText } from '../matchers';
import { allows } from '../session';
import { PREFILL_PARAM } from './AlertsPage';

interface Row {
  name: string;
  op: MatcherOp;
  value: string;
}

function prefilledRows(param: string | null): Row[] {
  if (param) {
    try {
      const labels = JSON.parse(param) as Record<string, string>;
      const rows = Object.entries(labels).map(([name, value]) => ({ name, op: '=' as MatcherOp, value: String(value) }));
      if (rows.length > 0) return rows;
    } catch {
      // ignore a malformed link
    }
  }
  return [{ name: 'alertname', op: '=', value: '' }];
}

const DURATIONS: Array<[string, number]> = [
  ['1 hour', 3_600_000],
  ['2 hours', 7_200_000],
  ['4 hours', 14_400_000],
  ['12 hours', 43_200_000],
  ['1 day', 86_400_000],
  ['7 days', 604_800_000],
];

function SilenceForm({ onCreated }: { onCreated: (id: string) => void }) {
  const { api, who } = useSession();
  const nav = useNav();
  const [rows, setRows] = useState<Row[]>(() => prefilledRows(nav.search.get(PREFILL_PARAM)));
  const [durationMs, setDurationMs] = useState(DURATIONS[1][1]);
  const [createdBy, setCreatedBy] = useState(who.keyName);
  const [comment, setComment] = useState('');
  const [preview, setPreview] = useState<{ items: AlertView[] } | null>(null);
  const [previewError, setPreviewError] = useState<unknown>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const matchers: SilenceMatcher[] = useMemo(() => rows.filter((r) => r.name.trim() !== '').map((r) => matcherFromOp(r.name.trim(), r.op, r.value)), [rows]);
  const filter = matchers.length > 0 ? matchersToFilter(matchers) : '';

  useEffect(() => {
    if (!filter || !allows(who, Scope.AlertsRead)) {
      setPreview(null);
      return;
    }
    let live = true;
    const t = setTimeout(() => {
      api.alerts({ status: 'firing', filter }).then(
        (p) => {
          if (live) {
            setPreview(p);
            setPreviewError(null);
          }
        },
        (e: unknown) => {
          if (live) {
            setPreview(null);
            setPreviewError(e);
          }
        },
      );
    }, 300);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [api, who, filter]);

  const setRow = (i: number, patch: Partial<Row>): void => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  return (
    <form
      className="panel"
      aria-labelledby="new-silence-h"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        const now = new Date();
        api
          .createSilence({ matchers, startsAt: now.toISOString(), endsAt: new Date(now.getTime() + durationMs).toISOString(), createdBy: createdBy.trim(), comment: comment.trim() })
          .then(
            (r) => {
              setBusy(false);
              setComment('');
              onCreated(r.id);
            },
            (err: unknown) => {
              setBusy(false);
              setError(err);
            },
          );
      }}
    >
      <h3 id="new-silence-h">New silence</h3>
      <fieldset>
        <legend>Matchers</legend>
        {rows.map((r, i) => (
          <div className="matcher-row" key={i}>
            <label>
              Label name
              <input value={r.name} onChange={(e) => setRow(i, { name: e.target.value })} />
            </label>
            <label>
              Operator
              <select value={r.op} onChange={(e) => setRow(i, { op: e.target.value as MatcherOp })}>
                {MATCHER_OPS.map((op) => (
                  <option key={op} value={op}>
                    {op}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Value
              <input value={r.value} onChange={(e) => setRow(i, { value: e.target.value })} />
            </label>
            <button type="button" aria-label={`Remove matcher ${i + 1}`} onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))} disabled={rows.length === 1}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" onClick={() => setRows((rs) => [...rs, { name: '', op: '=', value: '' }])}>
          Add matcher
        </button>
      </fieldset>
      <div className="form-grid">
        <label>
          Duration (from now)
          <select value={durationMs} onChange={(e) => setDurationMs(Number(e.target.value))}>
            {DURATIONS.map(([label, ms]) => (
              <option key={ms} value={ms}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Created by
          <input value={createdBy} onChange={(e) => setCreatedBy(e.target.value)} required />
        </label>
        <label className="wide">
          Comment
          <input value={comment} onChange={(e) => setComment(e.target.value)} required />
        </label>
      </div>
      <div className="preview" aria-live="polite" data-testid="silence-preview">
        <h4>Firing alerts these matchers silence</h4>
        {filter && <code>{filter}</code>}
        <ErrorText error={previewError} />
        {preview && preview.items.length === 0 && <p className="muted">None right now.</p>}
        {preview && preview.items.length > 0 && (
          <ul>
            {preview.items.map((a) => (
              <li key={a.fingerprint}>
                <strong>{a.labels.alertname ?? a.fingerprint}</strong> <Labels labels={a.labels} />
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || matchers.length === 0 || comment.trim() === '' || createdBy.trim() === ''}>
          Create silence
        </button>
      </div>
      <ErrorText error={error} />
    </form>
  );
}

export function SilencesPage() {
  const { api, who } = useSession();
  const [created, setCreated] = useState<string | null>(null);
  const [showExpired, setShowExpired] = useState(false);
  const { data, error, reload } = useLoad(() => api.silences(), []);
  const canWrite = allows(who, Scope.SilencesWrite);
  const items = (data?.items ?? []).filter((s) => showExpired || s.status.state !== 'expired');
  return (
    <section aria-labelledby="sil-h">
      <div className="page-head">
        <h2 id="sil-h">Silences</h2>
      </div>
      {canWrite && (
        <SilenceForm
          onCreated={(id) => {
            setCreated(id);
            reload();
          }}
        />
      )}
      {created && <Notice>Silence {created} created.</Notice>}
      <label className="check">
        <input type="checkbox" checked={showExpired} onChange={(e) => setShowExpired(e.target.checked)} /> Show expired silences
      </label>
      <ErrorText error={error} />
      {data && items.length === 0 && <p className="muted">No silences.</p>}
      {items.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Matchers</th>
                <th scope="col">State</th>
                <th scope="col">Starts</th>
                <th scope="col">Ends</th>
                <th scope="col">Created by</th>
                <th scope="col">Comment</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {items.map((s) => (
                <tr key={s.id} data-silence-id={s.id}>
                  <td>
                    {s.matchers.map((m) => (
                      <code key={matcherText(m)} className="label">
                        {matcherText(m)}
                      </code>
                    ))}
                  </td>
                  <td>
                    <StateBadge state={s.status.state} />
                  </td>
                  <td>
                    <Time iso={s.startsAt} />
                  </td>
                  <td>
                    <Time iso={s.endsAt} />
                  </td>
                  <td>{s.createdBy}</td>
                  <td>{s.comment}</td>
                  <td>
                    {canWrite && s.status.state !== 'expired' && (
                      <ConfirmButton
                        label="Expire"
                        question="Expire this silence now?"
                        confirmLabel="Expire silence"
                        onConfirm={async () => {
                          await api.expireSilence(s.id);
                          reload();
                        }}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
