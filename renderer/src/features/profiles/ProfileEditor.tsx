import { useMemo, useState } from 'react';
import { useSaveProfile } from '../../api/queries/profiles.js';
import { describeError } from '../../components/States.js';
import { ClusterFields } from './ClusterFields.js';
import { HostFields } from './HostFields.js';
import { EMPTY_HOST, type ProfileForm } from './profile-form.js';
import { validateProfileForm } from './profile-validation.js';

/** Messages without a field of their own, and why a save was refused. */
function Feedback({ messages, error }: { messages: readonly string[]; error: unknown }) {
  return (
    <>
      {messages.length > 0 ? (
        <ul className="field-error" role="alert">
          {messages.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      ) : null}
      {error ? (
        <p className="alert alert-warning" role="alert">
          Not saved: {describeError(error).message} <span className="muted small">{describeError(error).detail}</span>
        </p>
      ) : null}
    </>
  );
}

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
      <ClusterFields form={form} errors={shown} set={set} />
      <h4>Hosts</h4>
      {form.hosts.length === 0 ? <p className="muted small">No host: the console will observe this cluster but cannot start, drain or kill its nodes.</p> : null}
      {form.hosts.map((host, index) => (
        <HostFields key={index} host={host} index={index} errors={shown} onChange={(next) => setHost(index, next)} onRemove={() => setHost(index, null)} />
      ))}
      <button type="button" onClick={() => setForm((previous) => ({ ...previous, hosts: [...previous.hosts, { ...EMPTY_HOST }] }))}>
        Add host
      </button>
      <Feedback messages={touched ? other : []} error={save.error} />
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
