import { isMissingRoute } from '../api/client';
import type { Heartbeat } from '../api/types';
import { ErrorText, StateBadge, Time, useLoad, useSession } from '../common';

export function HeartbeatTable({ items }: { items: Heartbeat[] }) {
  if (items.length === 0) return <p className="muted">No heartbeats are configured.</p>;
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Heartbeat</th>
            <th scope="col">Source</th>
            <th scope="col">State</th>
            <th scope="col">Since</th>
            <th scope="col">Last beat</th>
            <th scope="col">Last reported state</th>
            <th scope="col">Staleness</th>
          </tr>
        </thead>
        <tbody>
          {items.map((h) => (
            <tr key={h.name}>
              <td>{h.name}</td>
              <td>{h.source}</td>
              <td>
                <StateBadge state={h.state} />
              </td>
              <td>
                <Time iso={h.since} />
              </td>
              <td>
                <Time iso={h.lastBeatAt} />
              </td>
              <td>{h.lastState ?? '—'}</td>
              <td>
                {h.stalenessSeconds === null ? '—' : `${h.stalenessSeconds.toFixed(1)} s`} / max {h.maxStalenessSeconds} s
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function HeartbeatsPage() {
  const { api } = useSession();
  const { data, error, reload } = useLoad(() => api.heartbeats(), []);
  return (
    <section aria-labelledby="hb-h">
      <div className="page-head">
        <h2 id="hb-h">Heartbeats</h2>
        <button type="button" onClick={reload}>
          Reload
        </button>
      </div>
      {isMissingRoute(error) ? <p className="muted">Heartbeats are not available on this service.</p> : <ErrorText error={error} />}
      {data && <HeartbeatTable items={data.items} />}
    </section>
  );
}
