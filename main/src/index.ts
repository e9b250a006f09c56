/** @switchboard/main: the console's main-process services (plain Node; Electron only in src/electron/). */
export {};
