import { useState } from 'react';
import type { CreatedKey } from '../api/types';
import { ALL_SCOPES, Scope } from '../api/types';
import { ConfirmButton, ErrorText, Notice, Time, useLoad, useSession } from '../common';

/** A new secret: shown once, with a copy button. */
function ShownOnce({ created, onDismiss }: { created: CreatedKey; onDismiss: () => void }) {
  const [copied, setCopied] = useState<string | null>(null);
  return (
    <div className="panel secret" role="region" aria-label="New key secret">
      <h3>Secret for key “{created.name}” (id {created.id})</h3>
      <p>
        Copy it now: it is <strong>shown only this once</strong> and Tocsin keeps only its hash.
      </p>
      <label>
        Secret
        <input readOnly value={created.key} data-testid="new-key-secret" onFocus={(e) => e.target.select()} />
      </label>
      <div className="actions">
        <button
          type="button"
          className="primary"
          onClick={() => {
            navigator.clipboard.writeText(created.key).then(
              () => setCopied('Copied to the clipboard.'),
              () => setCopied('The browser refused the clipboard: select the field and copy by hand.'),
            );
          }}
        >
          Copy
        </button>
        <button type="button" onClick={onDismiss}>
          I have stored it
        </button>
      </div>
      {copied && <p role="status">{copied}</p>}
    </div>
  );
}

export function KeysPage() {
  const { api, who } = useSession();
  const { data, error, reload } = useLoad(() => api.keys(), []);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Set<Scope>>(new Set([Scope.AlertsRead]));
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [formError, setFormError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const live = (data?.items ?? []).filter((k) => !k.revokedAt);
  return (
    <section aria-labelledby="keys-h">
      <div className="page-head">
        <h2 id="keys-h">API keys</h2>
      </div>
      {created && <ShownOnce created={created} onDismiss={() => setCreated(null)} />}
      {message && <Notice>{message}</Notice>}
      <form
        className="panel"
        aria-labelledby="new-key-h"
        onSubmit={(e) => {
          e.preventDefault();
          setFormError(null);
          api.createKey(name.trim(), [...scopes]).then(
            (k) => {
              setCreated(k);
              setName('');
              setMessage(`Key ${k.name} created.`);
              reload();
            },
            setFormError,
          );
        }}
      >
        <h3 id="new-key-h">New key</h3>
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
        </label>
        <fieldset>
          <legend>Scopes</legend>
          {ALL_SCOPES.map((s) => (
            <label key={s} className="check">
              <input
                type="checkbox"
                checked={scopes.has(s)}
                onChange={(e) =>
                  setScopes((cur) => {
                    const n = new Set(cur);
                    if (e.target.checked) n.add(s);
                    else n.delete(s);
                    return n;
                  })
                }
              />{' '}
              {s}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="primary" disabled={name.trim() === '' || scopes.size === 0}>
          Create key
        </button>
        <ErrorText error={formError} />
      </form>
      <ErrorText error={error} />
      {data && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Id</th>
                <th scope="col">Name</th>
                <th scope="col">Scopes</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {live.map((k) => (
                <tr key={k.id} data-key-id={k.id}>
                  <td>{k.id}</td>
                  <td>
                    {k.name}
                    {k.id === who.keyId && <span className="muted"> (this session)</span>}
                  </td>
                  <td>{k.scopes.join(', ')}</td>
                  <td>
                    <Time iso={k.createdAt} />
                  </td>
                  <td>
                    <Time iso={k.lastUsedAt} />
                  </td>
                  <td className="row-actions">
                    <ConfirmButton
                      label={`Rotate ${k.name}`}
                      question="Issue a new secret? The old one keeps working for 24 h."
                      confirmLabel="Rotate"
                      onConfirm={async () => {
                        setCreated(await api.rotateKey(k.id));
                        setMessage(`Key ${k.name} rotated.`);
                        reload();
                      }}
                    />{' '}
                    <ConfirmButton
                      label={`Revoke ${k.name}`}
                      className="danger"
                      question={`Revoke key “${k.name}” and all its secrets now? This cannot be undone.`}
                      confirmLabel="Revoke key"
                      onConfirm={async () => {
                        await api.revokeKey(k.id);
                        setMessage(`Key ${k.name} revoked.`);
                        reload();
                      }}
                    />
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
