import { type ReactNode, useState } from 'react';
import type { Delivery } from '../api/types';
import { CHANNELS, DELIVERY_STATUSES } from '../api/types';
import { ErrorText, StateBadge, Time, localInputToIso, useLoad, useSession } from '../common';

export function DeliveryDetailPanel({ id, onClose }: { id: string; onClose: () => void }) {
  const { api } = useSession();
  const { data, error } = useLoad(() => api.delivery(id), [id]);
  return (
    <div className="panel" role="region" aria-label={`Delivery ${id}`}>
      <div className="page-head">
        <h3>Delivery {id}</h3>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <ErrorText error={error} />
      {data && (
        <>
          <dl className="kv">
            <dt>Status</dt>
            <dd>
              <StateBadge state={data.status} />
            </dd>
            <dt>Channel / receiver</dt>
            <dd>
              {data.channel} / {data.receiver}
            </dd>
            <dt>Recipient</dt>
            <dd>{data.recipient}</dd>
            <dt>Group</dt>
            <dd>
              <code>{data.groupKey}</code>
            </dd>
            <dt>Alerts</dt>
            <dd>{data.fingerprints.join(', ')}</dd>
            <dt>Retries</dt>
            <dd>{data.retryCount}</dd>
            <dt>Last error</dt>
            <dd>{data.errorMessage ?? '—'}</dd>
            <dt>Created / due</dt>
            <dd>
              <Time iso={data.createdAt} /> / <Time iso={data.dueAt} />
            </dd>
            <dt>Delivered / failed</dt>
            <dd>
              <Time iso={data.deliveredAt} /> / <Time iso={data.failedAt} />
            </dd>
            <dt>Next attempt</dt>
            <dd>
              <Time iso={data.nextAttemptAt} />
            </dd>
          </dl>
          <h4>Attempts ({data.attempts.length})</h4>
          {data.attempts.length === 0 ? (
            <p className="muted">No attempts yet.</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Started</th>
                    <th scope="col">Duration</th>
                    <th scope="col">Outcome</th>
                    <th scope="col">Provider</th>
                    <th scope="col">Status / code</th>
                    <th scope="col">Provider error</th>
                  </tr>
                </thead>
                <tbody>
                  {data.attempts.map((a, i) => (
                    <tr key={i}>
                      <td>
                        <Time iso={a.startedAt} />
                      </td>
                      <td>{a.durationMs} ms</td>
                      <td>
                        <StateBadge state={a.outcome} />
                      </td>
                      <td>{a.provider}</td>
                      <td>
                        {a.providerStatus ?? '—'} / {a.providerCode ?? '—'}
                      </td>
                      <td className="wrap">{a.error ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </div>
  );
}

export function DeliveryTable({ items, onOpen, extra }: { items: Delivery[]; onOpen: (id: string) => void; extra?: (d: Delivery) => ReactNode }) {
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Id</th>
            <th scope="col">Status</th>
            <th scope="col">Channel</th>
            <th scope="col">Receiver</th>
            <th scope="col">Recipient</th>
            <th scope="col">Retries</th>
            <th scope="col">Created</th>
            <th scope="col">Failed</th>
            <th scope="col">Error</th>
            {extra && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {items.map((d) => (
            <tr key={d.id} data-delivery-id={d.id}>
              <td>
                <button type="button" className="link" onClick={() => onOpen(d.id)} aria-label={`Show delivery ${d.id}`}>
                  {d.id}
                </button>
              </td>
              <td>
                <StateBadge state={d.status} />
              </td>
              <td>{d.channel}</td>
              <td>{d.receiver}</td>
              <td className="wrap">{d.recipient}</td>
              <td>{d.retryCount}</td>
              <td>
                <Time iso={d.createdAt} />
              </td>
              <td>
                <Time iso={d.failedAt} />
              </td>
              <td className="wrap">{d.errorMessage ?? '—'}</td>
              {extra && <td className="row-actions">{extra(d)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface Filter {
  status: string;
  channel: string;
  receiver: string;
  from: string;
  to: string;
}
const EMPTY: Filter = { status: '', channel: '', receiver: '', from: '', to: '' };

export function DeliveriesPage() {
  const { api } = useSession();
  const [form, setForm] = useState<Filter>(EMPTY);
  const [filter, setFilter] = useState<Filter>(EMPTY);
  const [window, setWindow] = useState('1h');
  const [open, setOpen] = useState<string | null>(null);
  const [more, setMore] = useState<Delivery[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const query = { status: filter.status || undefined, channel: filter.channel || undefined, receiver: filter.receiver.trim() || undefined, from: localInputToIso(filter.from), to: localInputToIso(filter.to), limit: '100' };
  const list = useLoad(async () => {
    const page = await api.deliveries(query);
    setMore([]);
    setCursor(page.nextCursor);
    return page;
  }, [filter]);
  const stats = useLoad(() => api.deliveryStats(window), [window]);
  const items = [...(list.data?.items ?? []), ...more];
  return (
    <section aria-labelledby="del-h">
      <div className="page-head">
        <h2 id="del-h">Deliveries</h2>
      </div>
      <div className="panel">
        <div className="page-head">
          <h3>Counts and rate</h3>
          <label>
            Window
            <select value={window} onChange={(e) => setWindow(e.target.value)}>
              {['15m', '1h', '6h', '24h', '7d'].map((w) => (
                <option key={w}>{w}</option>
              ))}
            </select>
          </label>
        </div>
        <ErrorText error={stats.error} />
        {stats.data && (
          <div className="cards">
            <div className="card">
              <h4>Delivered per minute</h4>
              <p className="big">{stats.data.deliveredPerMinute.toFixed(2)}</p>
              <p className="muted">P95 latency {stats.data.latencyP95Seconds === null ? '—' : `${stats.data.latencyP95Seconds.toFixed(2)} s`}</p>
            </div>
            <div className="card">
              <h4>By status</h4>
              <dl className="kv">
                {Object.entries(stats.data.byStatus).map(([k, v]) => (
                  <div key={k} className="kv-row">
                    <dt>{k}</dt>
                    <dd>{v}</dd>
                  </div>
                ))}
              </dl>
            </div>
            <div className="card">
              <h4>By channel</h4>
              <dl className="kv">
                {Object.entries(stats.data.byChannel).map(([ch, counts]) => (
                  <div key={ch} className="kv-row">
                    <dt>{ch}</dt>
                    <dd>
                      {Object.entries(counts)
                        .map(([s, n]) => `${s} ${n}`)
                        .join(', ')}
                    </dd>
                  </div>
                ))}
              </dl>
            </div>
          </div>
        )}
      </div>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter(form);
          list.reload();
        }}
      >
        <label>
          Status
          <select value={form.status} onChange={(e) => setForm({ ...form, status: e.target.value })}>
            <option value="">any</option>
            {DELIVERY_STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Channel
          <select value={form.channel} onChange={(e) => setForm({ ...form, channel: e.target.value })}>
            <option value="">any</option>
            {CHANNELS.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label>
          Receiver
          <input value={form.receiver} onChange={(e) => setForm({ ...form, receiver: e.target.value })} />
        </label>
        <label>
          Created from (local time)
          <input type="datetime-local" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} />
        </label>
        <label>
          Created before (local time)
          <input type="datetime-local" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} />
        </label>
        <button type="submit">Apply</button>
      </form>
      <ErrorText error={list.error} />
      {open && <DeliveryDetailPanel id={open} onClose={() => setOpen(null)} />}
      {list.data && items.length === 0 && <p className="muted">No deliveries match.</p>}
      {items.length > 0 && <DeliveryTable items={items} onOpen={setOpen} />}
      {cursor && (
        <button
          type="button"
          onClick={() => {
            void api.deliveries({ ...query, cursor }).then((p) => {
              setMore((m) => [...m, ...p.items]);
              setCursor(p.nextCursor);
            });
          }}
        >
          Load more
        </button>
      )}
    </section>
  );
}
