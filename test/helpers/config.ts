import { loadConfig, type Config } from '../../src/config.js';

/** The real config loader over a test environment: quiet logs, test mode. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
}
