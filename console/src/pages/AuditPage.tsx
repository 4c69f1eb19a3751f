import { useState } from 'react';
import type { AuditEntry, VerifyResult } from '../api/types';
import { AUDIT_ACTIONS } from '../api/types';
import { ErrorText, Notice, Time, localInputToIso, useLoad, useSession } from '../common';

interface Filter {
  from: string;
  to: string;
  action: string;
  actor: string;
}
const EMPTY: Filter = { from: '', to: '', action: '', actor: '' };

export function AuditPage() {
  const { api } = useSession();
  const [form, setForm] = useState<Filter>(EMPTY);
  const [filter, setFilter] = useState<Filter>(EMPTY);
  const [more, setMore] = useState<AuditEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [verify, setVerify] = useState<VerifyResult | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const query = { from: localInputToIso(filter.from), to: localInputToIso(filter.to), action: filter.action || undefined, actor: filter.actor.trim() || undefined };
  const list = useLoad(async () => {
    const p = await api.audit({ ...query, limit: '100' });
    setMore([]);
    setCursor(p.nextCursor);
    return p;
  }, [filter]);
  const items = [...(list.data?.items ?? []), ...more];

  const exportCsv = async (): Promise<void> => {
    setError(null);
    const { blob, truncated } = await api.auditExport(query);
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `tocsin-audit-${new Date().toISOString().replace(/[:.]/g, '-')}.csv`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    setMessage(truncated ? 'Exported the first 10,000 matching entries (more matched: narrow the filter).' : 'Exported every matching entry.');
  };

  return (
    <section aria-labelledby="audit-h">
      <div className="page-head">
        <h2 id="audit-h">Audit log</h2>
        <button type="button" onClick={() => void api.auditVerify().then(setVerify, setError)}>
          Verify chain
        </button>
      </div>
      {verify && (
        <p role="status" className={verify.ok ? 'notice' : 'error'} data-testid="verify-result">
          {verify.ok ? `Chain intact: ${verify.checked} entries checked.` : `Chain BROKEN at entry ${verify.firstBadId} (${verify.checked} checked).`}
        </p>
      )}
      {message && <Notice>{message}</Notice>}
      <ErrorText error={error} />
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter(form);
          list.reload();
        }}
      >
        <label>
          From (local time)
          <input type="datetime-local" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} />
        </label>
        <label>
          To (local time)
          <input type="datetime-local" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} />
        </label>
        <label>
          Action
          <select value={form.action} onChange={(e) => setForm({ ...form, action: e.target.value })}>
            <option value="">any</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        <label>
          Actor (key name or id)
          <input value={form.actor} onChange={(e) => setForm({ ...form, actor: e.target.value })} />
        </label>
        <button type="submit">Apply</button>
        <button type="button" onClick={() => void exportCsv().catch(setError)}>
          Export CSV
        </button>
      </form>
      <ErrorText error={list.error} />
      {list.data && items.length === 0 && <p className="muted">No entries match.</p>}
      {items.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Id</th>
                <th scope="col">At</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.id}>
                  <td>{e.id}</td>
                  <td>
                    <Time iso={e.at} />
                  </td>
                  <td>{e.actor.keyName}</td>
                  <td>{e.action}</td>
                  <td>{e.target ?? '—'}</td>
                  <td className="wrap">
                    <code>{JSON.stringify(e.details)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor && (
        <button
          type="button"
          onClick={() => {
            void api.audit({ ...query, limit: '100', cursor }).then((p) => {
              setMore((m) => [...m, ...p.items]);
              setCursor(p.nextCursor);
            }, setError);
          }}
        >
          Load more
        </button>
      )}
    </section>
  );
}
