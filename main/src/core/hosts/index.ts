/** Host control: the HostTransport interface (SSH and local), host key verification, nodectl over either, and HostService. */
export * from './errors.js';
export * from './transport.js';
export * from './shell-words.js';
export * from './host-keys.js';
export * from './local-transport.js';
export * from './ssh-target.js';
export * from './ssh-connect.js';
export * from './ssh-transport.js';
export * from './transport-factory.js';
export * from './nodectl-client.js';
export * from './host-service.js';
