import { useCallback, useEffect, useRef, useState } from 'react';
import { fetchReadiness, isMissingRoute } from '../api/client';
import type { DeliveryStats, Heartbeat, Readiness, SendingState, SloItem } from '../api/types';
import { Scope } from '../api/types';
import { StateBadge, Time, useSession } from '../common';
import { allows } from '../session';
import { HeartbeatTable } from './HeartbeatsPage';

export const REFRESH_MS = 10_000;

/** A section the service may not have (older version) or the key may not read. */
type Part<T> = { kind: 'ok'; value: T } | { kind: 'unavailable'; why: string };

interface Snapshot {
  readiness: Readiness;
  slo: Part<SloItem[]>;
  heartbeats: Part<Heartbeat[]>;
  stats: Part<DeliveryStats>;
  sending: Part<SendingState>;
}

async function part<T>(allowed: boolean, load: () => Promise<T>): Promise<Part<T>> {
  if (!allowed) return { kind: 'unavailable', why: 'this key may not read it' };
  try {
    return { kind: 'ok', value: await load() };
  } catch (err) {
    // A route this service does not have is "not available"; any other failure fails the refresh.
    if (isMissingRoute(err)) return { kind: 'unavailable', why: 'not available on this service' };
    throw err;
  }
}

function formatValue(v: number | null, unit: string): string {
  if (v === null) return '—';
  return unit === 'seconds' ? `${Number(v.toFixed(3))} s` : `${v} ${unit}`;
}

export function HealthPage() {
  const { api, who } = useSession();
  const [snap, setSnap] = useState<Snapshot | null>(null);
  const [lastGood, setLastGood] = useState<Date | null>(null);
  const [failure, setFailure] = useState<{ at: Date; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const running = useRef(false);

  const refresh = useCallback(async () => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    try {
      const [readiness, slo, heartbeats, stats, sending] = await Promise.all([
        fetchReadiness(),
        part(allows(who, Scope.AlertsRead), async () => (await api.slo()).items),
        part(allows(who, Scope.AlertsRead), async () => (await api.heartbeats()).items),
        part(allows(who, Scope.DeliveriesRead), () => api.deliveryStats('1h')),
        part(allows(who, Scope.DeliveriesRead), () => api.sendingState()),
      ]);
      setSnap({ readiness, slo, heartbeats, stats, sending });
      setLastGood(new Date());
      setFailure(null);
    } catch (err) {
      // Keep the last data on screen; say how old it is.
      setFailure({ at: new Date(), message: err instanceof Error ? err.message : String(err) });
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, [api, who]);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  return (
    <section aria-labelledby="health-h">
      <div className="page-head">
        <h2 id="health-h">System health</h2>
        <p className="muted">
          Refreshes every {REFRESH_MS / 1000} s. Last good refresh: {lastGood ? <Time iso={lastGood.toISOString()} /> : 'none yet'}{' '}
          <button type="button" onClick={() => void refresh()} disabled={busy}>
            Refresh now
          </button>
        </p>
      </div>
      {failure && (
        <div className="stale" role="alert" data-testid="staleness-warning">
          <strong>Stale data.</strong> The refresh at <Time iso={failure.at.toISOString()} /> failed ({failure.message}).{' '}
          {lastGood ? (
            <>
              Showing the data of the last good refresh at <Time iso={lastGood.toISOString()} />.
            </>
          ) : (
            'No data has been loaded yet.'
          )}
        </div>
      )}
      {snap && (
        <div className={failure ? 'is-stale' : undefined}>
          <div className="cards">
            <div className="card">
              <h3>Readiness</h3>
              <StateBadge state={snap.readiness.ready ? 'ok' : 'breach'} /> {snap.readiness.ready ? 'ready' : snap.readiness.status}
              {snap.readiness.reasons.length > 0 && (
                <ul>
                  {snap.readiness.reasons.map((r) => (
                    <li key={r}>{r}</li>
                  ))}
                </ul>
              )}
            </div>
            <div className="card">
              <h3>Sending</h3>
              {snap.sending.kind === 'ok' ? (
                snap.sending.value.paused ? (
                  <>
                    <StateBadge state="paused" /> paused since <Time iso={snap.sending.value.since} /> by {snap.sending.value.by}: {snap.sending.value.reason}
                  </>
                ) : (
                  <>
                    <StateBadge state="ok" /> sending
                  </>
                )
              ) : (
                <span className="muted">Not available: {snap.sending.why}</span>
              )}
            </div>
            <div className="card">
              <h3>Deliveries (last {snap.stats.kind === 'ok' ? snap.stats.value.window : '1h'})</h3>
              {snap.stats.kind === 'ok' ? (
                <dl className="kv">
                  <dt>Delivered per minute</dt>
                  <dd data-testid="delivery-rate">{snap.stats.value.deliveredPerMinute.toFixed(2)}</dd>
                  <dt>Latency P95</dt>
                  <dd>{snap.stats.value.latencyP95Seconds === null ? '—' : `${snap.stats.value.latencyP95Seconds.toFixed(2)} s`}</dd>
                  {Object.entries(snap.stats.value.byStatus).map(([k, v]) => (
                    <div key={k} className="kv-row">
                      <dt>{k}</dt>
                      <dd>{v}</dd>
                    </div>
                  ))}
                </dl>
              ) : (
                <span className="muted">Not available: {snap.stats.why}</span>
              )}
            </div>
          </div>
          <h3>Service-level objectives</h3>
          {snap.slo.kind === 'ok' ? (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">SLO</th>
                    <th scope="col">State</th>
                    <th scope="col">Value</th>
                    <th scope="col">Target</th>
                    <th scope="col">Threshold</th>
                    <th scope="col">Since</th>
                    <th scope="col">Evaluated</th>
                  </tr>
                </thead>
                <tbody>
                  {snap.slo.value.map((s) => (
                    <tr key={s.name}>
                      <td>{s.name}</td>
                      <td>
                        <StateBadge state={s.state} />
                      </td>
                      <td>{formatValue(s.value, s.unit)}</td>
                      <td>{formatValue(s.target, s.unit)}</td>
                      <td>{formatValue(s.threshold, s.unit)}</td>
                      <td>
                        <Time iso={s.since} />
                      </td>
                      <td>
                        <Time iso={s.evaluatedAt} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p className="muted">SLOs not available: {snap.slo.why}.</p>
          )}
          <h3>Heartbeats</h3>
          {snap.heartbeats.kind === 'ok' ? <HeartbeatTable items={snap.heartbeats.value} /> : <p className="muted">Heartbeats not available: {snap.heartbeats.why}.</p>}
        </div>
      )}
    </section>
  );
}
