import type { DrillScenario } from '@switchboard/shared';
import { useSnapshot } from '../../api/queries/cluster.js';
import { useProfiles } from '../../api/queries/profiles.js';
import { ConfirmDialog } from '../../components/Dialog.js';
import { plural } from '../../lib/format.js';
import { describeAbort, describeCheck, describeScenario } from './blast-radius.js';

/**
 * Asks before a drill runs, saying what it will do to the watched cluster: the profile and its
 * nodes, each step with its blast radius (how many nodes, which it could pick now), the probes,
 * the hypothesis checked throughout and when it stops by itself.
 */
export function RunConfirm({ scenario, onConfirm, onCancel }: { scenario: DrillScenario; onConfirm: () => void; onCancel: () => void }) {
  const snapshot = useSnapshot();
  const profiles = useProfiles();
  const active = (snapshot.data?.nodes ?? []).filter((node) => node.state === 'active').map((node) => node.id).sort();
  const leader = snapshot.data?.leader?.nodeId ?? null;
  const described = describeScenario(scenario, { active, leader });
  const profile = profiles.data?.selected ?? 'the watched profile';
  return (
    <ConfirmDialog open title={`Run drill ${scenario.name}?`} confirmLabel={`Run ${scenario.name}`} onConfirm={onConfirm} onCancel={onCancel}>
      <p>
        Against profile <strong>{profile}</strong> (cluster {snapshot.data?.cluster ?? '—'}, {plural(active.length, 'active node')}
        {leader ? `, leader ${leader}` : ''}). At most <strong>{plural(described.maxNodes, 'node')}</strong> taken down by one step.
      </p>
      <ol className="blast-radius" aria-label="What the drill will do">
        {described.steps.map((step) => (
          <li key={step.index}>
            {step.what}
            {step.nodes !== null ? (
              <span className="muted small">
                {' '}
                Blast radius: {plural(step.nodes, 'node')}
                {step.candidates.length > 0 ? ` of ${step.candidates.join(', ')}` : ''}.
              </span>
            ) : null}
          </li>
        ))}
      </ol>
      <p className="muted small">Meanwhile: {described.probes}. Checked throughout: {scenario.hypothesis.map(describeCheck).join('; ')}.</p>
      <p className="muted small">It stops by itself and restores the cluster if {describeAbort(scenario).join(', or ')}. Halt stops it at any time.</p>
    </ConfirmDialog>
  );
}
