import type { ClusterProfile, DrillScenario } from '@switchboard/shared';

const NODE_ACTIONS = new Set(['kill-leader', 'kill-nodes', 'drain-nodes', 'restart-nodes', 'start-stopped', 'rolling-restart']);

/**
 * The settings `scenario` needs that `profile` lacks, each naming the setting (empty: it can run).
 * Checked before anything is touched: a drill that could not restore what it breaks never starts.
 * @example missingControls(scenario, profile) // ['services.redis (host, and restart or stop and start): needed by step 1 (restart-redis)']
 */
export function missingControls(scenario: DrillScenario, profile: ClusterProfile): string[] {
  const missing: string[] = [];
  scenario.steps.forEach((step, i) => {
    const where = `needed by step ${i + 1} (${step.action})`;
    if (NODE_ACTIONS.has(step.action) && !profile.hosts.some((host) => host.nodes.length > 0 || host.local)) {
      missing.push(`hosts (a host with nodectl and its nodes): ${where}`);
    }
    if (step.action === 'restart-redis' && !profile.services?.redis) missing.push(`services.redis (host, and restart or stop and start): ${where}`);
    if (step.action === 'restart-postgres' && !profile.services?.postgres) missing.push(`services.postgres (host, and restart or stop and start): ${where}`);
    if (step.action === 'redis-failover' && !('sentinels' in profile.redis)) missing.push(`redis.sentinels and redis.masterName (Redis under Sentinel): ${where}`);
  });
  if (!profile.apiUrl) missing.push('apiUrl (the balancer the probe clients fail over to): needed by the probes');
  return [...new Set(missing)];
}
