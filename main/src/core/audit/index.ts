/** The console's append-only audit log of operator actions. */
export * from './audit-log.js';
