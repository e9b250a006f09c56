import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { MAX_SCENARIO_TEXT, type MethodInput } from '@switchboard/shared';
import { useEffect } from 'react';
import { useDrillStore } from '../../stores/drill-store.js';
import { useConsoleClient } from '../client-context.js';

/** Query keys of the `drills.*` methods. */
export const drillsQueryKeys = {
  all: ['drills'] as const,
  scenarios: () => [...drillsQueryKeys.all, 'scenarios'] as const,
  validation: (text: string) => [...drillsQueryKeys.all, 'validation', text] as const,
  current: () => [...drillsQueryKeys.all, 'current'] as const,
  runs: () => [...drillsQueryKeys.all, 'runs'] as const,
  report: (runId: string) => [...drillsQueryKeys.all, 'report', runId] as const,
};

/**
 * The scenarios the console can run: built-in ones, then those saved by operators.
 * @example const { data } = useDrillScenarios(); data?.scenarios.map((entry) => entry.name)
 */
export function useDrillScenarios() {
  const client = useConsoleClient();
  return useQuery({ queryKey: drillsQueryKeys.scenarios(), queryFn: () => client.invoke('drills.listScenarios', {}), staleTime: 30_000 });
}

/**
 * What main says of scenario `text` (the schema the engine runs): the scenario, or every issue
 * with its field path. Nothing is asked for empty or oversized text (the editor says so itself).
 * @example const validation = useScenarioValidation(useDebounced(text, 300));
 */
export function useScenarioValidation(text: string) {
  const client = useConsoleClient();
  return useQuery({
    queryKey: drillsQueryKeys.validation(text),
    queryFn: () => client.invoke('drills.validateScenario', { text }),
    enabled: text.trim() !== '' && text.length <= MAX_SCENARIO_TEXT,
    staleTime: Infinity,
    gcTime: 60_000,
  });
}

/**
 * Saves scenario text into the console's data dir (by its name); the list is read again.
 * @example useSaveScenario().mutate(text);
 */
export function useSaveScenario() {
  const client = useConsoleClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (text: string) => client.invoke('drills.saveScenario', { text }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: drillsQueryKeys.scenarios() }),
  });
}

/**
 * Starts a drill (a scenario by name, or scenario text) against the watched profile. Progress
 * arrives as `drills.onDidProgress` (api/live.ts); the history is read again.
 * @example useStartDrill().mutate({ scenario: 'kill-leader' });
 */
export function useStartDrill() {
  const client = useConsoleClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: MethodInput<'drills.start'>) => client.invoke('drills.start', input),
    onSettled: () => queryClient.invalidateQueries({ queryKey: drillsQueryKeys.runs() }),
  });
}

/**
 * Halts a run at once: main aborts it and restores the cluster (verdict Stopped).
 * @example useHaltDrill().mutate(runId);
 */
export function useHaltDrill() {
  const client = useConsoleClient();
  return useMutation({ mutationFn: (runId: string) => client.invoke('drills.halt', { runId }) });
}

/**
 * Main's run in progress (or last), replayed into the live drill store once on mount so a view
 * opened mid-run (or after a reload) draws the run whole; live events do the rest.
 * @example useCurrentDrill(); const run = useDrillStore((state) => state.run);
 */
export function useCurrentDrill() {
  const client = useConsoleClient();
  const query = useQuery({ queryKey: drillsQueryKeys.current(), queryFn: () => client.invoke('drills.current', {}), staleTime: 0, gcTime: 0 });
  useEffect(() => {
    if (query.data) useDrillStore.getState().replay(query.data);
  }, [query.data]);
  return query;
}

/**
 * Past and current runs with their verdicts, newest first.
 * @example const { data } = useDrillRuns(); data?.runs[0]?.verdict
 */
export function useDrillRuns() {
  const client = useConsoleClient();
  return useQuery({ queryKey: drillsQueryKeys.runs(), queryFn: () => client.invoke('drills.listRuns', {}), staleTime: 5_000 });
}

/**
 * A finished run's report; nothing is read while `runId` is null.
 * @example const { data } = useDrillReport(runId); data?.thresholds
 */
export function useDrillReport(runId: string | null) {
  const client = useConsoleClient();
  return useQuery({
    queryKey: drillsQueryKeys.report(runId ?? ''),
    queryFn: () => client.invoke('drills.getReport', { runId: runId ?? '' }),
    enabled: runId !== null,
    staleTime: Infinity,
  });
}

/** Hands `html` to the browser (or Electron) as a download: the operator's save dialog picks the place. */
function offerDownload(fileName: string, html: string): void {
  const url = URL.createObjectURL(new Blob([html], { type: 'text/html;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own reference by now; give slow browsers a moment anyway.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Saves a run's self-contained HTML report where the operator chooses (a download): main never
 * writes to a path the page names.
 * @example useSaveReportHtml().mutate(runId);
 */
export function useSaveReportHtml() {
  const client = useConsoleClient();
  return useMutation({
    mutationFn: (runId: string) => client.invoke('drills.getReportHtml', { runId }),
    onSuccess: ({ fileName, html }) => offerDownload(fileName, html),
  });
}
