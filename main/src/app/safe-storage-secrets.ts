import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import type { SecretStore } from '../core/secrets/index.js';

/**
 * The desktop app's secret store: values encrypted with Electron's `safeStorage` (the OS
 * keychain: macOS Keychain, Windows DPAPI, libsecret or kwallet on Linux), kept as base64 in a
 * JSON file (mode 0600) in the app's data folder. Written against the few members of safeStorage
 * it uses, so this file imports no 'electron' and is unit tested with a fake.
 */

/** What this store uses of Electron's safeStorage. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: which keyring Chromium picked; `basic_text` means a hard-coded password. */
  getSelectedStorageBackend?(): string;
}

/** Options of {@link SafeStorageSecretStore}. */
export interface SafeStorageSecretStoreOptions {
  safeStorage: SafeStorageLike;
  /** The JSON file holding the encrypted values. */
  file: string;
  log: Logger;
  /** @default process.platform */
  platform?: NodeJS.Platform;
}

/** The warning shown when Linux has no keyring and safeStorage falls back to a built-in password. */
export const BASIC_TEXT_WARNING =
  'NO KEYRING: safeStorage fell back to basic_text, which encrypts secrets with a password built into Electron: anyone who can read the secrets file can decrypt it. Install and unlock a keyring (gnome-keyring or kwallet), or use web mode with SB_SECRET_* variables.';

/**
 * Secrets encrypted with safeStorage. Loudly warns (log and describeSecretSource) when Linux
 * has no keyring; refuses to store anything when encryption is not available at all.
 * @example new SafeStorageSecretStore({ safeStorage, file: join(app.getPath('userData'), 'secrets.json'), log })
 */
export class SafeStorageSecretStore implements SecretStore {
  readonly #options: SafeStorageSecretStoreOptions;
  readonly #weak: boolean;

  constructor(options: SafeStorageSecretStoreOptions) {
    this.#options = options;
    const platform = options.platform ?? process.platform;
    this.#weak = platform === 'linux' && options.safeStorage.getSelectedStorageBackend?.() === 'basic_text';
    if (this.#weak) options.log.warn({ file: options.file }, BASIC_TEXT_WARNING);
    if (!options.safeStorage.isEncryptionAvailable()) options.log.warn('safeStorage encryption is not available: stored secrets cannot be read or written');
  }

  /** The decrypted secret, or undefined when absent or undecryptable (logged, value never shown). */
  async get(name: string): Promise<string | undefined> {
    const encrypted = this.#read()[name];
    if (encrypted === undefined || !this.#options.safeStorage.isEncryptionAvailable()) return undefined;
    try {
      return this.#options.safeStorage.decryptString(Buffer.from(encrypted, 'base64'));
    } catch (err) {
      this.#options.log.warn({ name, err: (err as Error).message }, 'stored secret cannot be decrypted');
      return undefined;
    }
  }

  /** Encrypts and stores a secret (replacing any previous value). */
  async set(name: string, value: string): Promise<void> {
    if (!this.#options.safeStorage.isEncryptionAvailable()) throw new Error('safeStorage encryption is not available on this system');
    const all = this.#read();
    all[name] = this.#options.safeStorage.encryptString(value).toString('base64');
    this.#write(all);
  }

  /** Forgets a secret. */
  async delete(name: string): Promise<void> {
    const all = this.#read();
    if (!(name in all)) return;
    delete all[name];
    this.#write(all);
  }

  /** Says where secrets come from, with the no-keyring warning when it applies. */
  describeSecretSource(): string {
    return `the OS keychain through Electron safeStorage (${this.#options.file})${this.#weak ? ` — WARNING: ${BASIC_TEXT_WARNING}` : ''}`;
  }

  #read(): Record<string, string> {
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.#options.file, 'utf8'));
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
      return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    } catch {
      return {};
    }
  }

  #write(all: Record<string, string>): void {
    mkdirSync(dirname(this.#options.file), { recursive: true, mode: 0o700 });
    const partial = `${this.#options.file}.${process.pid}.tmp`;
    writeFileSync(partial, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
    renameSync(partial, this.#options.file);
  }
}

/**
 * The first store that has a secret wins (the desktop app: safeStorage, then SB_SECRET_* variables).
 * @example new SecretChain([safeStore, new EnvSecretStore(process.env)])
 */
export class SecretChain implements SecretStore {
  constructor(private readonly stores: readonly SecretStore[]) {}

  async get(name: string): Promise<string | undefined> {
    for (const store of this.stores) {
      const value = await store.get(name);
      if (value !== undefined) return value;
    }
    return undefined;
  }

  describeSecretSource(): string {
    return this.stores.map((store) => store.describeSecretSource()).join(', then ');
  }
}
