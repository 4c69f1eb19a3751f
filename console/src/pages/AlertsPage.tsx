import { useState } from 'react';
import { Scope } from '../api/types';
import { ErrorText, Labels, StateBadge, Time, useLoad, useNav, useSession } from '../common';
import { allows } from '../session';

/** The silences page reads this query parameter (JSON of label pairs) to pre-fill its form. */
export const PREFILL_PARAM = 'labels';

export function AlertsPage() {
  const { api, who } = useSession();
  const nav = useNav();
  const [status, setStatus] = useState('firing');
  const [filterInput, setFilterInput] = useState(nav.search.get('filter') ?? '');
  const [filter, setFilter] = useState(filterInput);
  const { data, error, loading, reload } = useLoad(() => api.alerts({ status: status || undefined, filter: filter || undefined }), [status, filter]);
  const canSilence = allows(who, Scope.SilencesWrite);
  return (
    <section aria-labelledby="alerts-h">
      <div className="page-head">
        <h2 id="alerts-h">Alerts</h2>
      </div>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter(filterInput.trim());
          reload();
        }}
      >
        <label>
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="firing">firing</option>
            <option value="resolved">resolved</option>
            <option value="">all</option>
          </select>
        </label>
        <label className="grow">
          Label matchers
          <input value={filterInput} onChange={(e) => setFilterInput(e.target.value)} placeholder='{alertname="HighLatency",severity=~"crit.*"}' />
        </label>
        <button type="submit">Apply</button>
      </form>
      <ErrorText error={error} />
      {loading && !data && <p className="muted">Loading…</p>}
      {data && data.items.length === 0 && <p className="muted">No alerts match.</p>}
      {data && data.items.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Alert</th>
                <th scope="col">State</th>
                <th scope="col">Started</th>
                <th scope="col">Ends</th>
                <th scope="col">Receivers</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((a) => (
                <tr key={a.fingerprint} data-fingerprint={a.fingerprint}>
                  <td>
                    <strong>{a.labels.alertname ?? a.fingerprint}</strong> <Labels labels={a.labels} />
                    {a.annotations.summary && <div className="muted">{a.annotations.summary}</div>}
                  </td>
                  <td>
                    <StateBadge state={a.status} />
                    {a.silencedBy.length > 0 && (
                      <span className="badge badge-silenced" title={`silenced by ${a.silencedBy.join(', ')}`}>
                        silenced
                      </span>
                    )}
                    {a.inhibitedBy.length > 0 && (
                      <span className="badge badge-inhibited" title={`inhibited by ${a.inhibitedBy.join(', ')}`}>
                        inhibited
                      </span>
                    )}
                  </td>
                  <td>
                    <Time iso={a.startsAt} />
                  </td>
                  <td>
                    <Time iso={a.endsAt} />
                  </td>
                  <td>{a.receivers.join(', ') || '—'}</td>
                  <td>
                    {canSilence && (
                      <button type="button" onClick={() => nav.go(`/silences?${PREFILL_PARAM}=${encodeURIComponent(JSON.stringify(a.labels))}`)}>
                        Silence this
                      </button>
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
