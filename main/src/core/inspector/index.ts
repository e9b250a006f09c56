/** The Postgres inspector: database health, usernames, and the probe's consistency check. */
export { PostgresInspector, type PostgresInspectorDeps } from './inspector.js';
export { toPostgresError } from './postgres-errors.js';
