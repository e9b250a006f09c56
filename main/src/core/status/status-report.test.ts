import { statusReportSchema, type ObservedNode } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { buildStatusReport, renderStatusText } from './status-report.js';

function node(id: string, extra: Partial<ObservedNode> = {}): ObservedNode {
  return {
    id,
    host: `host-${id}`,
    httpAddress: `http://10.0.0.${id.slice(1)}:8065`,
    pid: 100,
    version: '0.1.0',
    schemaVersion: '1700000000001_cluster-fence',
    state: 'active',
    startedAt: 1,
    lastBeat: 2,
    connections: 4,
    usersOnline: 3,
    configHash: '0123456789abcdef',
    heartbeatAgeMs: 420,
    ...extra,
  };
}

describe('buildStatusReport', () => {
  it('marks the leader and maps every node', () => {
    const report = buildStatusReport({ redis: 'ok', leader: { nodeId: 'n2', epoch: 7, since: null }, nodes: [node('n1'), node('n2', { state: 'draining' })] }, { reachable: true });
    expect(statusReportSchema.parse(report)).toEqual(report);
    expect(report).toEqual({
      nodes: [
        { id: 'n1', host: 'host-n1', state: 'active', is_leader: false, version: '0.1.0', connections: 4, usersOnline: 3, lastBeatAgeMs: 420, httpAddress: 'http://10.0.0.1:8065' },
        { id: 'n2', host: 'host-n2', state: 'draining', is_leader: true, version: '0.1.0', connections: 4, usersOnline: 3, lastBeatAgeMs: 420, httpAddress: 'http://10.0.0.2:8065' },
      ],
      leader: { id: 'n2', epoch: 7 },
      redis: 'ok',
      postgres: 'ok',
    });
  });

  it('reports no leader and an unreachable database', () => {
    const report = buildStatusReport({ redis: 'unreachable', leader: null, nodes: [] }, { reachable: false });
    expect(report).toEqual({ nodes: [], leader: null, redis: 'unreachable', postgres: 'unreachable' });
  });
});

describe('renderStatusText', () => {
  const report = buildStatusReport({ redis: 'ok', leader: { nodeId: 'n1', epoch: 7, since: null }, nodes: [node('n1'), node('n2', { heartbeatAgeMs: 2_400 })] }, { reachable: true });

  it('prints an aligned table without colours by default', () => {
    const text = renderStatusText(report);
    expect(text).not.toContain('\x1b[');
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('redis ok   postgres ok   leader n1 (epoch 7)');
    expect(lines[1]).toMatch(/^NODE\s+HOST\s+STATE\s+LEADER\s+VERSION\s+CONNS\s+USERS\s+BEAT\s+HTTP$/);
    expect(lines[2]).toMatch(/^n1\s+host-n1\s+active\s+\*\s+0\.1\.0\s+4\s+3\s+420ms\s+http:\/\/10\.0\.0\.1:8065$/);
    expect(lines[3]).toMatch(/^n2\s+host-n2\s+active\s+0\.1\.0\s+4\s+3\s+2\.4s\s+http:\/\/10\.0\.0\.2:8065$/);
    // Columns line up: every row's HTTP column starts where the header's does.
    const column = lines[1]!.indexOf('HTTP');
    expect(lines[2]!.indexOf('http://')).toBe(column);
    expect(lines[3]!.indexOf('http://')).toBe(column);
  });

  it('colours only when asked, keeping the same text underneath', () => {
    const coloured = renderStatusText(report, { color: true });
    expect(coloured).toContain('\x1b[32mok\x1b[0m');
    expect(coloured.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '')).toBe(renderStatusText(report));
  });

  it('says why there is no node', () => {
    expect(renderStatusText({ nodes: [], leader: null, redis: 'unreachable', postgres: 'ok' })).toBe('redis unreachable   postgres ok   no leader\nnodes unknown: redis is unreachable\n');
  });
});
