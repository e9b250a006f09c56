import type { ClusterSnapshot, PostgresHealth, StatusReport } from '@switchboard/shared';

/**
 * The `switchboard status --json` document from an observer snapshot and an inspector health
 * report. Pure: the same inputs give the same document.
 * @example const report = buildStatusReport(await observer.snapshot(), await inspector.health());
 */
export function buildStatusReport(snapshot: Pick<ClusterSnapshot, 'nodes' | 'leader' | 'redis'>, health: Pick<PostgresHealth, 'reachable'>): StatusReport {
  return {
    nodes: snapshot.nodes.map((node) => ({
      id: node.id,
      host: node.host,
      state: node.state,
      is_leader: snapshot.leader?.nodeId === node.id,
      version: node.version,
      connections: node.connections,
      usersOnline: node.usersOnline,
      lastBeatAgeMs: node.heartbeatAgeMs,
      httpAddress: node.httpAddress,
    })),
    leader: snapshot.leader ? { id: snapshot.leader.nodeId, epoch: snapshot.leader.epoch } : null,
    redis: snapshot.redis,
    postgres: health.reachable ? 'ok' : 'unreachable',
  };
}

/** Options of {@link renderStatusText}. */
export interface RenderStatusOptions {
  /** ANSI colours; pass `process.stdout.isTTY` (never colour a pipe). @default false */
  color?: boolean;
}

const ANSI = { red: '\x1b[31m', green: '\x1b[32m', yellow: '\x1b[33m', bold: '\x1b[1m', dim: '\x1b[2m', reset: '\x1b[0m' } as const;

type Paint = (text: string, style: keyof typeof ANSI) => string;

const HEADER = ['NODE', 'HOST', 'STATE', 'LEADER', 'VERSION', 'CONNS', 'USERS', 'BEAT', 'HTTP'];

/**
 * The status as a compact terminal table: one line for Redis, Postgres and the leader, then one
 * row per node. Colours only when asked (`color: true`).
 * @example process.stdout.write(renderStatusText(report, { color: process.stdout.isTTY === true }));
 */
export function renderStatusText(report: StatusReport, options: RenderStatusOptions = {}): string {
  const paint: Paint = options.color ? (text, style) => `${ANSI[style]}${text}${ANSI.reset}` : (text) => text;
  const health = (name: string, value: 'ok' | 'unreachable') => `${name} ${paint(value, value === 'ok' ? 'green' : 'red')}`;
  const leader = report.leader ? `leader ${paint(report.leader.id, 'bold')} (epoch ${report.leader.epoch})` : paint('no leader', 'yellow');
  const lines = [`${health('redis', report.redis)}   ${health('postgres', report.postgres)}   ${leader}`];
  if (report.nodes.length === 0) {
    lines.push(report.redis === 'ok' ? 'no node in the registry' : 'nodes unknown: redis is unreachable');
    return `${lines.join('\n')}\n`;
  }
  const rows = report.nodes.map((node) => [
    node.id,
    node.host,
    node.state,
    node.is_leader ? '*' : '',
    node.version,
    String(node.connections),
    String(node.usersOnline),
    formatAge(node.lastBeatAgeMs),
    node.httpAddress,
  ]);
  const widths = HEADER.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[], style?: (cell: string, column: number) => string) =>
    cells
      .map((cell, column) => {
        const padded = column === cells.length - 1 ? cell : cell.padEnd(widths[column]!);
        return style ? padded.replace(cell, style(cell, column)) : padded;
      })
      .join('  ')
      .trimEnd();
  lines.push(line(HEADER, (cell) => paint(cell, 'dim')));
  for (const row of rows) lines.push(line(row, (cell, column) => styleCell(paint, cell, column)));
  return `${lines.join('\n')}\n`;
}

/** Colours the state column and marks the leader, by column index in {@link HEADER}. */
function styleCell(paint: Paint, cell: string, column: number): string {
  if (cell === '') return cell;
  if (column === 2) return paint(cell, cell === 'active' ? 'green' : 'yellow');
  if (column === 3) return paint(cell, 'bold');
  return cell;
}

/** `850ms`, `2.4s`, `3m12s`. */
function formatAge(ms: number): string {
  if (ms < 1_000) return `${ms}ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)}s`;
  return `${Math.floor(ms / 60_000)}m${Math.floor((ms % 60_000) / 1_000)}s`;
}
