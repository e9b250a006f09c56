import { useState } from 'react';
import { useProfile, useProfiles, useSelectProfile } from '../../api/queries/profiles.js';
import { Panel, ViewHeader } from '../../components/Panel.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { describeError, EmptyState, ErrorState, Loading } from '../../components/States.js';
import { EMPTY_PROFILE, profileToForm } from './profile-form.js';
import { ProfileEditor } from './ProfileEditor.js';

type Editing = { kind: 'new' } | { kind: 'edit'; name: string } | null;

function EditExisting({ name, onDone }: { name: string; onDone: (name: string | null) => void }) {
  const profile = useProfile(name);
  if (profile.isPending) return <Loading label={`Reading profile ${name}…`} />;
  if (profile.error) return <ErrorState title={`Profile ${name} could not be read`} error={profile.error} onRetry={() => void profile.refetch()} />;
  return <ProfileEditor key={name} initial={profileToForm(profile.data.profile)} isNew={false} onDone={onDone} />;
}

/** Profiles: which clusters the console knows, which it watches, and an editor for them. */
export default function ProfilesView() {
  const profiles = useProfiles();
  const select = useSelectProfile();
  const [editing, setEditing] = useState<Editing>(null);
  const header = (
    <ViewHeader title="Profiles" summary="A profile says where a cluster's Redis, Postgres and hosts are. Secrets are named in it, never stored.">
      <button type="button" onClick={() => setEditing({ kind: 'new' })}>
        New profile
      </button>
    </ViewHeader>
  );
  if (profiles.isPending) return <>{header}<Loading label="Reading profiles…" /></>;
  if (profiles.error) return <>{header}<ErrorState title="Profiles could not be read" error={profiles.error} onRetry={() => void profiles.refetch()} /></>;
  const { selected } = profiles.data;
  return (
    <>
      {header}
      <Panel title="Known profiles">
        {profiles.data.profiles.length === 0 ? (
          <EmptyState title="No profile">Create one with New profile.</EmptyState>
        ) : (
          <table className="table" aria-label="Profiles">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Cluster</th>
                <th scope="col">Source</th>
                <th scope="col">File</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {profiles.data.profiles.map((profile) => (
                <tr key={profile.name}>
                  <th scope="row">
                    {profile.name} {profile.name === selected ? <StatusBadge tone="ok">watching</StatusBadge> : null}
                  </th>
                  <td>{profile.cluster}</td>
                  <td>{profile.source}</td>
                  <td className="muted small">{profile.path ?? 'built in'}</td>
                  <td className="row-actions">
                    <button type="button" className="small" disabled={profile.name === selected || select.isPending} onClick={() => select.mutate(profile.name)}>
                      Watch
                    </button>
                    <button type="button" className="small" disabled={profile.source === 'builtin'} title={profile.source === 'builtin' ? 'The local profile is built in; save a copy under another name to change it' : undefined} onClick={() => setEditing({ kind: 'edit', name: profile.name })}>
                      Edit
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {select.error ? <p className="alert alert-warning" role="alert">Could not switch: {describeError(select.error).message}</p> : null}
      </Panel>
      {editing ? (
        <Panel title={editing.kind === 'new' ? 'New profile' : `Edit ${editing.name}`}>
          {editing.kind === 'new' ? <ProfileEditor initial={EMPTY_PROFILE} isNew onDone={() => setEditing(null)} /> : <EditExisting name={editing.name} onDone={() => setEditing(null)} />}
        </Panel>
      ) : null}
    </>
  );
}
