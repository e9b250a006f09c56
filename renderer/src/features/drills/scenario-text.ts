import type { DrillScenarioEntry } from '@switchboard/shared';

/** Scenario text helpers for the editor. Pure. */

/** What New scenario starts from. */
export const NEW_SCENARIO_TEXT = `name: my-drill
description: Kill one follower, wait until the cluster settles, then start it again.
steps:
  - action: kill-nodes
    target: { among: followers, radius: one }
  - action: settle
    timeoutMs: 30000
  - action: start-stopped
  - action: settle
thresholds:
  lost: 0
  unexpected: 0
  resumeMs: 10000
abort:
  maxNodesDown: 1
  timeLimitMs: 120000
`;

/**
 * The text to edit for a scenario: a saved one as it is; a built-in one as a copy under a new
 * name (built-in names are not overwritten).
 * @example editableText({ name: 'kill-leader', source: 'builtin', text: 'name: kill-leader\n…' }) // 'name: kill-leader-copy\n…'
 */
export function editableText(entry: Pick<DrillScenarioEntry, 'name' | 'source' | 'text'>): string {
  if (entry.source !== 'builtin') return entry.text;
  const copy = `${entry.name.slice(0, 58)}-copy`;
  const renamed = entry.text.replace(/^name:.*$/m, `name: ${copy}`);
  return renamed === entry.text ? `name: ${copy}\n${entry.text}` : renamed;
}
