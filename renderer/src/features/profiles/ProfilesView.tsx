import type { ProfileSummary } from '@switchboard/shared';
import { useState } from 'react';
import { useProfile, useProfiles, useSelectProfile } from '../../api/queries/profiles.js';
import { Panel, ViewHeader } from '../../components/Panel.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { describeError, EmptyState, ErrorState, Loading } from '../../components/States.js';
import { EMPTY_PROFILE, profileToForm } from './profile-form.js';
import { ProfileEditor } from './ProfileEditor.js';

type Editing = { kind: 'new' } | { kind: 'edit' | 'copy'; name: string } | null;

/** Edits a saved profile, or starts a new one from a copy of it (the built-in one is only copied). */
function EditExisting({ name, copy, onDone }: { name: string; copy: boolean; onDone: (name: string | null) => void }) {
  const profile = useProfile(name);
  if (profile.isPending) return <Loading label={`Reading profile ${name}…`} />;
  if (profile.error) return <ErrorState title={`Profile ${name} could not be read`} error={profile.error} onRetry={() => void profile.refetch()} />;
  const form = profileToForm(profile.data.profile);
  return <ProfileEditor key={`${copy}-${name}`} initial={copy ? { ...form, name: '' } : form} isNew={copy} onDone={onDone} />;
}

/** The known profiles, the watched one marked, with Watch and Edit (Copy for the built-in one). */
function ProfilesTable(props: { profiles: readonly ProfileSummary[]; selected: string; switching: boolean; onWatch: (name: string) => void; onEdit: (editing: Editing) => void }) {
  const { profiles, selected, switching, onWatch, onEdit } = props;
  return (
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
        {profiles.map((profile) => (
          <tr key={profile.name}>
            <th scope="row">
              {profile.name} {profile.name === selected ? <StatusBadge tone="ok">watching</StatusBadge> : null}
            </th>
            <td>{profile.cluster}</td>
            <td>{profile.source}</td>
            <td className="muted small">{profile.path ?? 'built in'}</td>
            <td>
              <div className="row-actions">
              <button type="button" className="small" disabled={profile.name === selected || switching} onClick={() => onWatch(profile.name)}>
                Watch
              </button>
              {profile.source === 'builtin' ? (
                <button type="button" className="small" title="The local profile is built in: start a new profile from a copy of it" onClick={() => onEdit({ kind: 'copy', name: profile.name })}>
                  Copy
                </button>
              ) : (
                <button type="button" className="small" onClick={() => onEdit({ kind: 'edit', name: profile.name })}>
                  Edit
                </button>
              )}
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
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
          <ProfilesTable profiles={profiles.data.profiles} selected={selected} switching={select.isPending} onWatch={(name) => select.mutate(name)} onEdit={setEditing} />
        )}
        {select.error ? <p className="alert alert-warning" role="alert">Could not switch: {describeError(select.error).message}</p> : null}
      </Panel>
      {editing ? (
        <Panel title={editing.kind === 'new' ? 'New profile' : editing.kind === 'copy' ? `New profile from ${editing.name}` : `Edit ${editing.name}`}>
          {editing.kind === 'new' ? <ProfileEditor initial={EMPTY_PROFILE} isNew onDone={() => setEditing(null)} /> : <EditExisting name={editing.name} copy={editing.kind === 'copy'} onDone={() => setEditing(null)} />}
        </Panel>
      ) : null}
    </>
  );
}
