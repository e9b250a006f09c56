/** `switchboard status`: the report, its terminal rendering, and one-shot collection from a profile. */
export { buildStatusReport, renderStatusText, type RenderStatusOptions } from './status-report.js';
export { collectStatus, STATUS_TIMEOUT_MS, type CollectStatusDeps } from './collect-status.js';
