import { CheckField, TextField } from '../../components/Field.js';
import type { FieldErrors } from './profile-validation.js';
import type { HostForm } from './profile-form.js';

/** One host's fields in the profile editor, with its messages. */
export function HostFields({ host, index, errors, onChange, onRemove }: { host: HostForm; index: number; errors: FieldErrors; onChange: (host: HostForm) => void; onRemove: () => void }) {
  const set = (field: keyof HostForm) => (value: string | boolean) => onChange({ ...host, [field]: value });
  const error = (field: string) => errors[`hosts.${index}.${field}`];
  return (
    <fieldset className="host-fields">
      <legend>Host {host.name || index + 1}</legend>
      <div className="form-grid">
        <TextField label="Host name" value={host.name} onChange={set('name')} error={error('name')} placeholder="h1" />
        <CheckField label="Local (no SSH: this machine's processes)" checked={host.local} onChange={set('local')} />
        {host.local ? null : (
          <>
            <TextField label="Address" value={host.address} onChange={set('address')} error={error('address')} hint="IP, DNS name or an alias from ~/.ssh/config" />
            <TextField label="SSH port" value={host.port} onChange={set('port')} error={error('port')} placeholder="22" />
            <TextField label="User" value={host.user} onChange={set('user')} error={error('user')} />
            <TextField label="Key file" value={host.keyFile} onChange={set('keyFile')} error={error('keyFile')} hint="Leave empty to use the SSH agent" />
            <CheckField label="Use the SSH agent" checked={host.agent} onChange={set('agent')} />
            <TextField label="Passphrase secret" value={host.passphraseSecret} onChange={set('passphraseSecret')} error={error('passphraseSecret')} hint="The NAME of a secret, never the passphrase" />
            <TextField label="Host key fingerprint" value={host.hostKeyFingerprint} onChange={set('hostKeyFingerprint')} error={error('hostKeyFingerprint')} placeholder="SHA256:…" />
            <TextField label="known_hosts file" value={host.knownHostsFile} onChange={set('knownHostsFile')} error={error('knownHostsFile')} />
          </>
        )}
        <TextField label="nodectl command" value={host.nodectlCommand} onChange={set('nodectlCommand')} error={error('nodectlCommand')} />
        <TextField label="nodectl config" value={host.nodectlConfig} onChange={set('nodectlConfig')} error={error('nodectlConfig')} />
        <TextField label="Nodes" value={host.nodes} onChange={set('nodes')} error={error('nodes')} hint="Node ids, separated by commas" />
      </div>
      <button type="button" className="small link" onClick={onRemove}>
        Remove host {host.name || index + 1}
      </button>
    </fieldset>
  );
}
