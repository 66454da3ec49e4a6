import { ConfigError, loadConfig, type Config } from '../../src/config.js';

/** The real config loader over a test environment: quiet logs, test mode. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
}

/** The variables `loadConfig` reads, in user mode and in app mode (whose settings it reads only then). */
export function variablesTheConfigReads(): Set<string> {
  const names = new Set<string>();
  for (const mode of ['user', 'app']) {
    const env = new Proxy<Record<string, string | undefined>>(
      {},
      {
        get: (_target, name) => {
          if (typeof name === 'string') names.add(name);
          return name === 'PARTNER_CENTER_AUTH' ? mode : undefined;
        },
      },
    );
    try {
      loadConfig(env);
    } catch (error) {
      // App mode without its credentials is refused, after every variable was read.
      if (!(error instanceof ConfigError)) throw error;
    }
  }
  return names;
}
