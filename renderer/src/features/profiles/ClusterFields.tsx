import { TextField } from '../../components/Field.js';
import type { ProfileForm } from './profile-form.js';
import type { FieldErrors } from './profile-validation.js';

/** The profile's own fields: name, cluster, Redis (one URL or Sentinel), Postgres, balancer. */
export function ClusterFields({ form, errors, set }: { form: ProfileForm; errors: FieldErrors; set: (field: keyof ProfileForm) => (value: string) => void }) {
  return (
    <div className="form-grid">
      <TextField label="Profile name" value={form.name} onChange={set('name')} error={errors.name} hint="Lowercase letters, digits, - and _" />
      <TextField label="Cluster" value={form.cluster} onChange={set('cluster')} error={errors.cluster} hint="SB_CLUSTER of the nodes (the Redis key prefix)" />
      <div className="field">
        <label htmlFor="redis-mode">Redis</label>
        <select id="redis-mode" value={form.redisMode} onChange={(event) => set('redisMode')(event.target.value)}>
          <option value="url">One URL</option>
          <option value="sentinel">Sentinel</option>
        </select>
      </div>
      {form.redisMode === 'url' ? (
        <TextField label="Redis URL" value={form.redisUrl} onChange={set('redisUrl')} error={errors.redisUrl} placeholder="redis://127.0.0.1:6379" />
      ) : (
        <>
          <TextField label="Sentinels" value={form.sentinels} onChange={set('sentinels')} error={errors.sentinels} hint="host:port, separated by commas" />
          <TextField label="Master name" value={form.masterName} onChange={set('masterName')} error={errors.masterName} />
        </>
      )}
      <TextField label="Redis password secret" value={form.redisPasswordSecret} onChange={set('redisPasswordSecret')} error={errors.redisPasswordSecret} hint="The NAME of a secret (web mode: SB_SECRET_<NAME>)" />
      <TextField label="Postgres URL" value={form.postgresUrl} onChange={set('postgresUrl')} error={errors.postgresUrl} placeholder="postgres://user@host:5432/db" />
      <TextField label="Postgres password secret" value={form.postgresPasswordSecret} onChange={set('postgresPasswordSecret')} error={errors.postgresPasswordSecret} />
      <TextField label="API URL (balancer)" value={form.apiUrl} onChange={set('apiUrl')} error={errors.apiUrl} placeholder="http://lb:8065" />
    </div>
  );
}
