import { describe, expect, it } from 'vitest';
import { ConsoleConfigError, defaultDataDir, loadConsoleConfig } from './console-config.js';

describe('loadConsoleConfig', () => {
  it('applies defaults, the environment, then flags', () => {
    const config = loadConsoleConfig({ HOME: '/home/op', SB_CONSOLE_PROFILE: 'ops.yaml', SB_CONSOLE_LOG_LEVEL: 'debug' }, { profile: 'local' });
    expect(config).toMatchObject({ profile: 'local', logLevel: 'debug', dataDir: defaultDataDir({ HOME: '/home/op' }) });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names the variable or flag that is wrong', () => {
    expect(() => loadConsoleConfig({ SB_CONSOLE_LOG_LEVEL: 'loud' })).toThrow(ConsoleConfigError);
    expect(() => loadConsoleConfig({ SB_CONSOLE_LOG_LEVEL: 'loud' })).toThrow(/SB_CONSOLE_LOG_LEVEL/);
    expect(() => loadConsoleConfig({}, { devUrl: 'http://evil.example:80' })).toThrow(/--dev-url/);
  });

  it('puts data where each platform expects it', () => {
    expect(defaultDataDir({ HOME: '/h' }, 'linux')).toBe('/h/.config/switchboard-console');
    expect(defaultDataDir({ HOME: '/h', XDG_CONFIG_HOME: '/x' }, 'linux')).toBe('/x/switchboard-console');
    expect(defaultDataDir({ HOME: '/h' }, 'darwin')).toBe('/h/Library/Application Support/switchboard-console');
  });
});
