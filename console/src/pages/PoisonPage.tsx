import { useState } from 'react';
import type { BulkReplayBody, BulkReplayResult, Delivery } from '../api/types';
import { CHANNELS, type ChannelName, Scope } from '../api/types';
import { ErrorText, Notice, ReasonConfirm, StateBadge, Time, localInputToIso, useLoad, useSession } from '../common';
import { allows } from '../session';
import { DeliveryDetailPanel, DeliveryTable } from './DeliveriesPage';

/** Pause/resume of all sending, behind the reason + acknowledgement confirmation. */
function SendingControl({ onChange }: { onChange: (message: string) => void }) {
  const { api, who } = useSession();
  const state = useLoad(() => api.sendingState(), []);
  const [asking, setAsking] = useState(false);
  const canWrite = allows(who, Scope.DeliveriesWrite);
  const s = state.data;
  return (
    <div className="panel" aria-labelledby="sending-h">
      <h3 id="sending-h">Sending</h3>
      <ErrorText error={state.error} />
      {s && (
        <p data-testid="sending-state">
          {s.paused ? (
            <>
              <StateBadge state="paused" /> Paused since <Time iso={s.since} /> by {s.by}: {s.reason}
            </>
          ) : (
            <>
              <StateBadge state="ok" /> Sending{s.since ? <> (resumed <Time iso={s.since} /> by {s.by})</> : null}
            </>
          )}
        </p>
      )}
      {s && canWrite && !asking && (
        <button type="button" className={s.paused ? 'primary' : 'danger'} onClick={() => setAsking(true)}>
          {s.paused ? 'Resume sending…' : 'Pause sending…'}
        </button>
      )}
      {s && canWrite && asking && (
        <ReasonConfirm
          title={s.paused ? 'Resume sending' : 'Pause sending'}
          consequence={s.paused ? 'every replica starts sending the queued notifications at once.' : 'no notification leaves Tocsin on any replica until someone resumes; alerts are still accepted and queued.'}
          submitLabel={s.paused ? 'Resume sending' : 'Pause sending'}
          onCancel={() => setAsking(false)}
          onSubmit={async (reason) => {
            const next = s.paused ? await api.resume(reason) : await api.pause(reason);
            setAsking(false);
            onChange(next.paused ? 'Sending paused.' : 'Sending resumed.');
            state.reload();
          }}
        />
      )}
    </div>
  );
}

/** Replay by filter: a dry run lists the ids, then the same body runs for real. */
function ReplayByFilter({ onDone }: { onDone: (message: string) => void }) {
  const { api } = useSession();
  const [channel, setChannel] = useState('');
  const [after, setAfter] = useState('');
  const [before, setBefore] = useState('');
  const [preview, setPreview] = useState<{ body: Omit<BulkReplayBody, 'dryRun' | 'reason'>; result: BulkReplayResult } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const selector = (): Omit<BulkReplayBody, 'dryRun' | 'reason'> => ({
    channel: (channel || undefined) as ChannelName | undefined,
    failedAfter: localInputToIso(after),
    failedBefore: localInputToIso(before),
  });
  const hasSelector = channel !== '' || after !== '' || before !== '';
  return (
    <div className="panel" aria-labelledby="byfilter-h">
      <h3 id="byfilter-h">Replay by filter</h3>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          const body = selector();
          setError(null);
          // The dry run needs a reason too (the API validates the same body); it is not audited.
          api.bulkReplay({ ...body, dryRun: true, reason: 'dry run preview from the console' }).then(
            (result) => setPreview({ body, result }),
            (err: unknown) => {
              setPreview(null);
              setError(err);
            },
          );
        }}
      >
        <label>
          Channel
          <select value={channel} onChange={(e) => (setChannel(e.target.value), setPreview(null))}>
            <option value="">any</option>
            {CHANNELS.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label>
          Failed after (local time)
          <input type="datetime-local" step={1} value={after} onChange={(e) => (setAfter(e.target.value), setPreview(null))} />
        </label>
        <label>
          Failed before (local time)
          <input type="datetime-local" step={1} value={before} onChange={(e) => (setBefore(e.target.value), setPreview(null))} />
        </label>
        <button type="submit" disabled={!hasSelector}>
          Preview (dry run)
        </button>
      </form>
      <ErrorText error={error} />
      {preview && (
        <div data-testid="filter-preview">
          <p>
            The dry run would replay <strong>{preview.result.replayed}</strong> deliveries
            {preview.result.ids.length > 0 ? ':' : '.'}
          </p>
          {preview.result.ids.length > 0 && (
            <ul className="id-list" aria-label="Deliveries the replay takes">
              {preview.result.ids.map((id) => (
                <li key={id}>{id}</li>
              ))}
            </ul>
          )}
          {preview.result.replayed > 0 && (
            <ReasonConfirm
              title={`Replay ${preview.result.replayed} deliveries`}
              consequence="these notifications are sent again to their recipients."
              submitLabel={`Replay ${preview.result.replayed} deliveries`}
              onCancel={() => setPreview(null)}
              onSubmit={async (reason) => {
                const done = await api.bulkReplay({ ...preview.body, dryRun: false, reason });
                const differs = done.replayed !== preview.result.replayed ? ` (the preview listed ${preview.result.replayed}; the queue changed in between)` : '';
                setPreview(null);
                onDone(`Replayed ${done.replayed} deliveries${differs}: ${done.ids.join(', ')}.`);
              }}
            />
          )}
        </div>
      )}
    </div>
  );
}

export function PoisonPage() {
  const { api, who } = useSession();
  const [channel, setChannel] = useState('');
  const list = useLoad(() => api.poison({ channel: channel || undefined }), [channel]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [discarding, setDiscarding] = useState<Delivery | null>(null);
  const [bulkPreview, setBulkPreview] = useState<BulkReplayResult | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const canWrite = allows(who, Scope.DeliveriesWrite);
  const items = list.data?.items ?? [];

  const done = (m: string): void => {
    setMessage(m);
    setSelected(new Set());
    setBulkPreview(null);
    list.reload();
  };
  const toggle = (id: string): void =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });

  return (
    <section aria-labelledby="poison-h">
      <div className="page-head">
        <h2 id="poison-h">Poison queue</h2>
        <label>
          Channel
          <select value={channel} onChange={(e) => setChannel(e.target.value)}>
            <option value="">any</option>
            {CHANNELS.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <button type="button" onClick={list.reload}>
          Reload
        </button>
      </div>
      {message && <Notice>{message}</Notice>}
      <ErrorText error={error} />
      <ErrorText error={list.error} />
      <SendingControl onChange={setMessage} />
      {canWrite && <ReplayByFilter onDone={done} />}
      {open && <DeliveryDetailPanel id={open} onClose={() => setOpen(null)} />}
      {discarding && (
        <ReasonConfirm
          key={discarding.id}
          title={`Discard delivery ${discarding.id}`}
          consequence="this notification will never be sent."
          submitLabel={`Discard delivery ${discarding.id}`}
          onCancel={() => setDiscarding(null)}
          onSubmit={async (reason) => {
            await api.discard(discarding.id, reason);
            setDiscarding(null);
            done(`Delivery ${discarding.id} discarded.`);
          }}
        >
          <p>
            {discarding.channel} to {discarding.recipient} ({discarding.receiver}), failed <Time iso={discarding.failedAt} />: {discarding.errorMessage}
          </p>
        </ReasonConfirm>
      )}
      {canWrite && selected.size > 0 && (
        <div className="panel">
          <p>
            {selected.size} selected.{' '}
            <button
              type="button"
              onClick={() => {
                setError(null);
                api.bulkReplay({ ids: [...selected], dryRun: true, reason: 'dry run preview from the console' }).then(setBulkPreview, setError);
              }}
            >
              Preview replay of selected
            </button>
          </p>
          {bulkPreview && (
            <div data-testid="selected-preview">
              <p>
                The dry run would replay <strong>{bulkPreview.replayed}</strong>: {bulkPreview.ids.join(', ') || 'none (already replayed?)'}
              </p>
              {bulkPreview.replayed > 0 && (
                <ReasonConfirm
                  title={`Replay ${bulkPreview.replayed} selected deliveries`}
                  consequence="these notifications are sent again to their recipients."
                  submitLabel={`Replay ${bulkPreview.replayed} selected`}
                  onCancel={() => setBulkPreview(null)}
                  onSubmit={async (reason) => {
                    const r = await api.bulkReplay({ ids: [...selected], dryRun: false, reason });
                    done(`Replayed ${r.replayed} deliveries: ${r.ids.join(', ')}.`);
                  }}
                />
              )}
            </div>
          )}
        </div>
      )}
      {list.data && items.length === 0 && <p className="muted">The poison queue is empty.</p>}
      {items.length > 0 && (
        <DeliveryTable
          items={items}
          onOpen={setOpen}
          extra={
            canWrite
              ? (d) => (
                  <>
                    <label className="check">
                      <input type="checkbox" checked={selected.has(d.id)} onChange={() => toggle(d.id)} /> Select {d.id}
                    </label>
                    <button
                      type="button"
                      className="primary"
                      onClick={() => {
                        setError(null);
                        api.replayOne(d.id).then(() => done(`Delivery ${d.id} replayed: it is pending again.`), setError);
                      }}
                    >
                      Replay {d.id}
                    </button>
                    <button type="button" className="danger" onClick={() => setDiscarding(d)}>
                      Discard {d.id}…
                    </button>
                  </>
                )
              : undefined
          }
        />
      )}
      {list.data?.nextCursor && <p className="muted">Showing the newest {items.length}; narrow by channel to see others.</p>}
    </section>
  );
}
