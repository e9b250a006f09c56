import type { DrillScenario, MethodInput } from '@switchboard/shared';
import { useState } from 'react';
import { useCurrentDrill, useDrillRuns, useDrillScenarios, useStartDrill } from '../../api/queries/drills.js';
import { Panel, ViewHeader } from '../../components/Panel.js';
import { describeError, EmptyState, ErrorState, Loading } from '../../components/States.js';
import { useDrillStore } from '../../stores/drill-store.js';
import { LiveRun } from './LiveRun.js';
import { ReportPanel } from './ReportPanel.js';
import { RunConfirm } from './RunConfirm.js';
import { RunHistory } from './RunHistory.js';
import { ScenarioEditor } from './ScenarioEditor.js';
import { ScenarioList } from './ScenarioList.js';
import { editableText, NEW_SCENARIO_TEXT } from './scenario-text.js';

type Editing = { title: string; text: string; key: string } | null;
type Confirming = { scenario: DrillScenario; input: MethodInput<'drills.start'> } | null;

function ScenariosPanel({ running, onRun, onEdit }: { running: boolean; onRun: (confirming: NonNullable<Confirming>) => void; onEdit: (editing: NonNullable<Editing>) => void }) {
  const scenarios = useDrillScenarios();
  if (scenarios.isPending) return <Panel title="Scenarios"><Loading label="Reading scenarios…" /></Panel>;
  if (scenarios.error) return <Panel title="Scenarios"><ErrorState title="Scenarios could not be read" error={scenarios.error} onRetry={() => void scenarios.refetch()} /></Panel>;
  const list = scenarios.data.scenarios;
  return (
    <Panel title="Scenarios">
      {list.length === 0 ? (
        <EmptyState title="No scenario">Write one with New scenario.</EmptyState>
      ) : (
        <ScenarioList
          scenarios={list}
          running={running}
          onRun={(entry) => onRun({ scenario: entry.scenario, input: { scenario: entry.name } })}
          onEdit={(entry) => onEdit({ title: entry.source === 'builtin' ? `New scenario from ${entry.name}` : `Edit ${entry.name}`, text: editableText(entry), key: `${entry.source}-${entry.name}` })}
        />
      )}
    </Panel>
  );
}

function HistoryPanel({ openRunId, onOpen }: { openRunId: string | null; onOpen: (runId: string) => void }) {
  const runs = useDrillRuns();
  if (runs.isPending) return <Panel title="History"><Loading label="Reading past runs…" /></Panel>;
  if (runs.error) return <Panel title="History"><ErrorState title="Past runs could not be read" error={runs.error} onRetry={() => void runs.refetch()} /></Panel>;
  return (
    <Panel title="History">
      {runs.data.runs.length === 0 ? <EmptyState title="No drill has run yet">Runs appear here with their verdicts, newest first; each keeps its report.</EmptyState> : <RunHistory runs={runs.data.runs} openRunId={openRunId} onOpen={onOpen} />}
    </Panel>
  );
}

/**
 * Drills: pick or write a scenario, run it against the watched cluster (after a confirmation
 * naming its blast radius), follow it live (steps, charts, timeline, Halt, verdict), and browse
 * past runs and their reports.
 */
export default function DrillsView() {
  useCurrentDrill();
  const run = useDrillStore((state) => state.run);
  const dismissed = useDrillStore((state) => state.dismissed);
  const start = useStartDrill();
  const [editing, setEditing] = useState<Editing>(null);
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [openRunId, setOpenRunId] = useState<string | null>(null);
  const running = start.isPending || (run !== null && run.verdict === null);
  return (
    <>
      <ViewHeader title="Drills" summary="Break the watched cluster on purpose while probe clients post and check every message; the verdict is measured against thresholds.">
        <button type="button" onClick={() => setEditing({ title: 'New scenario', text: NEW_SCENARIO_TEXT, key: `new-${Date.now()}` })}>
          New scenario
        </button>
      </ViewHeader>
      {start.error ? (
        <p className="alert alert-warning" role="alert">
          The drill did not start: {describeError(start.error).message} <span className="muted small">{describeError(start.error).detail}</span>
        </p>
      ) : null}
      {run && !(run.verdict !== null && run.runId === dismissed) ? <LiveRun run={run} onOpenReport={setOpenRunId} /> : null}
      <ScenariosPanel running={running} onRun={setConfirming} onEdit={setEditing} />
      {editing ? (
        <Panel title={editing.title}>
          <ScenarioEditor key={editing.key} initial={editing.text} title={editing.title} running={running} onClose={() => setEditing(null)} onRun={(scenario, text) => setConfirming({ scenario, input: { text } })} />
        </Panel>
      ) : null}
      <HistoryPanel openRunId={openRunId} onOpen={setOpenRunId} />
      {openRunId ? <ReportPanel key={openRunId} runId={openRunId} onClose={() => setOpenRunId(null)} /> : null}
      {confirming ? (
        <RunConfirm
          scenario={confirming.scenario}
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            setConfirming(null);
            start.mutate(confirming.input);
          }}
        />
      ) : null}
    </>
  );
}
