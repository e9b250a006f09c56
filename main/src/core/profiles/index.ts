/** Cluster profiles: loading, saving and listing profile files, the built-in `local` profile, ssh config aliases. */
export * from './profile-error.js';
export * from './load-profile.js';
export * from './local-profile.js';
export * from './demo-state.js';
export * from './ssh-config.js';
export * from './host-pattern.js';
