import { describe, expect, it } from 'vitest';
import { EMPTY_HOST, EMPTY_PROFILE, formToInput, profileToForm, type ProfileForm } from './profile-form.js';
import { validateProfileForm } from './profile-validation.js';

const valid: ProfileForm = { ...EMPTY_PROFILE, name: 'staging', hosts: [{ ...EMPTY_HOST, name: 'h1', address: '10.0.0.1', user: 'ops', nodes: 'n1, n2' }] };

describe('profile form', () => {
  it('turns a valid form into the profile main would save, and back', () => {
    const { profile, errors, other } = validateProfileForm(valid);
    expect(errors).toEqual({});
    expect(other).toEqual([]);
    expect(profile?.hosts[0]).toMatchObject({ name: 'h1', address: '10.0.0.1', local: false, nodes: ['n1', 'n2'], nodectl: { command: 'nodectl' } });
    expect(profileToForm(profile!)).toEqual({ ...valid, hosts: [{ ...valid.hosts[0]!, nodes: 'n1, n2' }] });
  });

  it('puts each message on its field', () => {
    const { profile, errors } = validateProfileForm({
      ...valid,
      name: 'Bad Name',
      redisUrl: 'http://nope',
      postgresUrl: 'mysql://x',
      hosts: [{ ...EMPTY_HOST, name: 'h1', address: '', nodes: 'n1 N2', port: '99999' }],
    });
    expect(profile).toBeNull();
    expect(Object.keys(errors).sort()).toEqual(['hosts.0.address', 'hosts.0.nodes', 'hosts.0.port', 'name', 'postgresUrl', 'redisUrl']);
    expect(errors.redisUrl).toMatch(/redis:\/\//);
    expect(errors['hosts.0.address']).toMatch(/required unless local/);
  });

  it('checks the Sentinel branch when Sentinel is chosen', () => {
    const { errors } = validateProfileForm({ ...valid, redisMode: 'sentinel', sentinels: '', masterName: '' });
    expect(Object.keys(errors).sort()).toEqual(['masterName', 'sentinels']);
    const ok = validateProfileForm({ ...valid, redisMode: 'sentinel', sentinels: '10.0.0.1:26379, 10.0.0.2:26379', masterName: 'mymaster' });
    expect(ok.profile?.redis).toEqual({ sentinels: [{ host: '10.0.0.1', port: 26379 }, { host: '10.0.0.2', port: 26379 }], masterName: 'mymaster' });
  });

  it('flags duplicate host names on the second host', () => {
    const { errors } = validateProfileForm({ ...valid, hosts: [valid.hosts[0]!, valid.hosts[0]!] });
    expect(errors['hosts.1.name']).toMatch(/duplicates host h1/);
  });

  it('leaves empty optional fields out', () => {
    expect(formToInput(valid)).not.toHaveProperty('apiUrl');
    expect((formToInput(valid).hosts as Array<Record<string, unknown>>)[0]).not.toHaveProperty('keyFile');
  });
});
