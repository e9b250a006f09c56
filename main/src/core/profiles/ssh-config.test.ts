import { describe, expect, it } from 'vitest';
import { matchesPatternList } from './host-pattern.js';
import { lookupSshConfig, parseSshConfig } from './ssh-config.js';

const CONFIG = `# operators' aliases
User deploy

Host web1 web1.example
  HostName 10.0.0.5
  Port 2222
  IdentityFile ~/.ssh/web1_%r

Match host other
  HostName 9.9.9.9

Host web*
  HostName=should-not-win
  User=someone-else
  IdentityFile "%d/.ssh/id with space"

Host *.internal !db.internal
  HostName %h.example.net

Host bad
  Port 70000
`;

const config = parseSshConfig(CONFIG, '/home/me/.ssh/config');

describe('ssh config', () => {
  it('takes HostName, Port, User and IdentityFile for an alias, first value winning', () => {
    expect(lookupSshConfig(config, 'web1', '/home/me')).toEqual({
      hostName: '10.0.0.5',
      port: 2222,
      user: 'deploy',
      identityFile: '/home/me/.ssh/web1_deploy',
    });
  });

  it('applies wildcard blocks and quoted values, and skips Match blocks', () => {
    expect(lookupSshConfig(config, 'web7', '/home/me')).toEqual({
      hostName: 'should-not-win',
      user: 'deploy',
      identityFile: '/home/me/.ssh/id with space',
    });
  });

  it('honours negated patterns and expands %h', () => {
    expect(lookupSshConfig(config, 'api.internal', '/h').hostName).toBe('api.internal.example.net');
    expect(lookupSshConfig(config, 'db.internal', '/h').hostName).toBeUndefined();
  });

  it('gives an alias nothing matches only the global settings', () => {
    expect(lookupSshConfig(config, '192.168.1.1', '/h')).toEqual({ user: 'deploy' });
    expect(lookupSshConfig(parseSshConfig('', 'empty'), 'x', '/h')).toEqual({});
  });

  it('refuses a bad Port naming the file and the line', () => {
    expect(() => lookupSshConfig(config, 'bad', '/h')).toThrow('profile /home/me/.ssh/config: line 21: Port must be 1-65535, got "70000"');
  });

  it('matches pattern lists as OpenSSH does', () => {
    expect(matchesPatternList('WEB1', ['web?'])).toBe(true);
    expect(matchesPatternList('web12', ['web?'])).toBe(false);
    expect(matchesPatternList('a.b', ['a*b'])).toBe(true);
    expect(matchesPatternList('axb', ['a.b'])).toBe(false);
    expect(matchesPatternList('web2', ['web*', '!web2'])).toBe(false);
    expect(matchesPatternList('web2', ['!web3'])).toBe(false);
  });
});
