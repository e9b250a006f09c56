/** Secret stores: the interface, web mode's environment store and log redaction paths. */
export * from './secret-store.js';
