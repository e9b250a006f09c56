import { useMemo, useState } from 'react';
import { useSaveProfile } from '../../api/queries/profiles.js';
import { TextField } from '../../components/Field.js';
import { describeError } from '../../components/States.js';
import { HostFields } from './HostFields.js';
import { EMPTY_HOST, type ProfileForm } from './profile-form.js';
import { validateProfileForm } from './profile-validation.js';

/**
 * Creates or edits a profile. Every change is checked with the schema main uses, and each
 * message shows under its field; Save stays off until the profile is valid. Secrets are named,
 * never typed in here.
 */
export function ProfileEditor({ initial, isNew, onDone }: { initial: ProfileForm; isNew: boolean; onDone: (name: string | null) => void }) {
  const [form, setForm] = useState(initial);
  const [touched, setTouched] = useState(!isNew);
  const save = useSaveProfile();
  const { profile, errors, other } = useMemo(() => validateProfileForm(form), [form]);
  const shown = touched ? errors : {};
  const set = (field: keyof ProfileForm) => (value: string) => {
    setTouched(true);
    setForm((previous) => ({ ...previous, [field]: value }));
  };
  const setHost = (index: number, host: ProfileForm['hosts'][number] | null) => {
    setTouched(true);
    setForm((previous) => ({ ...previous, hosts: host === null ? previous.hosts.filter((_, i) => i !== index) : previous.hosts.map((h, i) => (i === index ? host : h)) }));
  };
  return (
    <form
      className="profile-editor"
      aria-label={isNew ? 'New profile' : `Edit profile ${initial.name}`}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        setTouched(true);
        if (profile) save.mutate(profile, { onSuccess: (summary) => onDone(summary.name) });
      }}
    >
      <div className="form-grid">
        <TextField label="Profile name" value={form.name} onChange={set('name')} error={shown.name} hint="Lowercase letters, digits, - and _" />
        <TextField label="Cluster" value={form.cluster} onChange={set('cluster')} error={shown.cluster} hint="SB_CLUSTER of the nodes (the Redis key prefix)" />
        <div className="field">
          <label htmlFor="redis-mode">Redis</label>
          <select id="redis-mode" value={form.redisMode} onChange={(event) => set('redisMode')(event.target.value)}>
            <option value="url">One URL</option>
            <option value="sentinel">Sentinel</option>
          </select>
        </div>
        {form.redisMode === 'url' ? (
          <TextField label="Redis URL" value={form.redisUrl} onChange={set('redisUrl')} error={shown.redisUrl} placeholder="redis://127.0.0.1:6379" />
        ) : (
          <>
            <TextField label="Sentinels" value={form.sentinels} onChange={set('sentinels')} error={shown.sentinels} hint="host:port, separated by commas" />
            <TextField label="Master name" value={form.masterName} onChange={set('masterName')} error={shown.masterName} />
          </>
        )}
        <TextField label="Redis password secret" value={form.redisPasswordSecret} onChange={set('redisPasswordSecret')} error={shown.redisPasswordSecret} hint="The NAME of a secret (web mode: SB_SECRET_<NAME>)" />
        <TextField label="Postgres URL" value={form.postgresUrl} onChange={set('postgresUrl')} error={shown.postgresUrl} placeholder="postgres://user@host:5432/db" />
        <TextField label="Postgres password secret" value={form.postgresPasswordSecret} onChange={set('postgresPasswordSecret')} error={shown.postgresPasswordSecret} />
        <TextField label="API URL (balancer)" value={form.apiUrl} onChange={set('apiUrl')} error={shown.apiUrl} placeholder="http://lb:8065" />
      </div>
      <h4>Hosts</h4>
      {form.hosts.length === 0 ? <p className="muted small">No host: the console will observe this cluster but cannot start, drain or kill its nodes.</p> : null}
      {form.hosts.map((host, index) => (
        <HostFields key={index} host={host} index={index} errors={shown} onChange={(next) => setHost(index, next)} onRemove={() => setHost(index, null)} />
      ))}
      <button type="button" onClick={() => setForm((previous) => ({ ...previous, hosts: [...previous.hosts, { ...EMPTY_HOST }] }))}>
        Add host
      </button>
      {touched && other.length > 0 ? (
        <ul className="field-error" role="alert">
          {other.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      ) : null}
      {save.error ? (
        <p className="alert alert-warning" role="alert">
          Not saved: {describeError(save.error).message} <span className="muted small">{describeError(save.error).detail}</span>
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={(touched && !profile) || save.isPending}>
          {save.isPending ? 'Saving…' : 'Save profile'}
        </button>
        <button type="button" onClick={() => onDone(null)}>
          Cancel
        </button>
        {touched && !profile ? <span className="muted small">Fix the fields marked above to save.</span> : null}
      </div>
    </form>
  );
}
