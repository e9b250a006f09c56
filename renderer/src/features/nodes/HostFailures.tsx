import { useAcceptHostKey, useHostNodes } from '../../api/queries/hosts.js';
import { describeError } from '../../components/States.js';

/**
 * Hosts nodectl could not be asked on, and why. A first contact over SSH shows the host key's
 * fingerprint for the operator to check and accept; a mismatch is shown, never accepted here.
 */
export function HostFailures() {
  const { data } = useHostNodes();
  const accept = useAcceptHostKey();
  if (!data || data.failures.length === 0) return null;
  return (
    <ul className="host-failures" aria-label="Hosts not answering">
      {data.failures.map((failure) => (
        <li key={failure.host} className="alert alert-warning" role="alert">
          <strong>Host {failure.host}:</strong> {failure.error.message} <code className="error-id">{failure.error.id}</code>
          {failure.error.fingerprint && failure.error.id === 'hosts.host_key_unknown' ? (
            <div>
              Its key fingerprint is <code>{failure.error.fingerprint}</code>. Compare it with <code>ssh-keygen -lf</code> on the host before you trust it.{' '}
              <button type="button" className="small" disabled={accept.isPending} onClick={() => accept.mutate({ host: failure.host, fingerprint: failure.error.fingerprint! })}>
                Trust this key
              </button>
            </div>
          ) : null}
        </li>
      ))}
      {accept.error ? <li className="alert alert-warning">{describeError(accept.error).message}</li> : null}
    </ul>
  );
}
