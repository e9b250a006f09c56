import { describe, expect, it } from 'vitest';
import { haproxyConfig, parseHaproxyStat } from '../index.js';

describe('haproxyConfig', () => {
  const base = { bind: '127.0.0.1:8080', statsSocket: '/tmp/sb/admin.sock', servers: [{ name: 'n1', address: '127.0.0.1:8065' }, { name: 'n2', address: '127.0.0.1:8066' }] };

  it('health-checks system/ping, redispatches and keeps WebSockets open', () => {
    const text = haproxyConfig(base);
    expect(text).toContain('option httpchk GET /api/v4/system/ping');
    expect(text).toContain('http-check expect status 200');
    expect(text).toContain('option redispatch');
    expect(text).toContain('timeout tunnel 3600000ms');
    expect(text).toContain('stats socket /tmp/sb/admin.sock mode 600 level admin');
    expect(text).toContain('bind 127.0.0.1:8080');
    expect(text).toMatch(/server n1 127\.0\.0\.1:8065 check inter 250ms .*fall 2 rise 2/);
    expect(text).toMatch(/server n2 127\.0\.0\.1:8066 check/);
    // A port already taken fails HAProxy's start instead of being shared with the other process.
    expect(text).toMatch(/^global\n(.*\n)* {2}noreuseport\n/m);
  });

  it('refuses names and paths that would inject configuration', () => {
    expect(() => haproxyConfig({ ...base, servers: [{ name: 'n1\n  stats enable', address: '127.0.0.1:1' }] })).toThrow(/invalid server name/);
    expect(() => haproxyConfig({ ...base, statsSocket: '/tmp/a b' })).toThrow(/stats socket/);
    expect(() => haproxyConfig({ ...base, servers: [] })).toThrow(/at least one server/);
    expect(() => haproxyConfig({ ...base, bind: 'nowhere' })).toThrow(/bind/);
  });

  it('reads server states from show stat', () => {
    const csv = '# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status\nsb,FRONTEND,,,,,,,,,,,,,,,,OPEN\nsb_nodes,n1,,,,,,,,,,,,,,,,UP\nsb_nodes,n2,,,,,,,,,,,,,,,,DOWN\nsb_nodes,BACKEND,,,,,,,,,,,,,,,,UP\n';
    expect(parseHaproxyStat(csv)).toEqual([
      { backend: 'sb_nodes', server: 'n1', status: 'UP' },
      { backend: 'sb_nodes', server: 'n2', status: 'DOWN' },
    ]);
  });
});
