import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import type { Config } from '../../src/config.js';

const DEFAULTS: Config = {
  port: 4000,
  host: 'localhost',
  partnerCenterBaseUrl: undefined,
  upstreamTimeoutMs: 10_000,
  upstreamMaxConcurrency: 16,
  upstreamRetries: 2,
  upstreamRetryBaseMs: 200,
  upstreamRetryAfterMaxMs: 5_000,
  upstreamMaxCallsPerMinute: undefined,
  breakerFailureThreshold: 5,
  breakerHalfOpenMs: 10_000,
  operationTimeoutMs: 20_000,
  maxUpstreamCallsPerOperation: 200,
  maxQueryDepth: 8,
  maxAliases: 30,
  maxQueryTokens: 2_000,
  logLevel: 'info',
  nodeEnv: 'development',
  isProduction: false,
  maxCustomerIds: 100,
  bodyLimitBytes: 256 * 1024,
  sandboxEnabled: true,
  introspectionEnabled: true,
  shutdownGraceMs: 20_000,
  otlpTracesUrl: undefined,
  simulatorPort: 4010,
  simulatorLatencyMs: 0,
  simulatorVettingSeconds: 120,
  subscriptionMaxIds: 100,
  subscriptionsPerConnectionMax: 20,
  watchPollInReviewSeconds: 60,
  watchPollSeconds: 900,
  auditPollSeconds: 60,
  partnerCenterAuth: { mode: 'user' },
  inboundAuth: { routerSecret: undefined, jwt: undefined },
  corsOrigins: [],
  apqCacheBytes: 8 * 1024 * 1024,
  cacheMaxAgeSeconds: 300,
  cacheMaxAgeInReviewSeconds: 30,
  cacheEnabled: true,
  cacheMaxEntries: 10_000,
  cacheStaleIfErrorSeconds: 86_400,
  redisUrl: undefined,
};

/** Runs `loadConfig` expecting it to fail and returns the ConfigError it threw. */
function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to throw a ConfigError');
}

describe('loadConfig defaults', () => {
  it('uses the documented defaults for an empty environment', () => {
    expect(loadConfig({})).toEqual(DEFAULTS);
  });

  it('treats empty and blank values as absent', () => {
    expect(
      loadConfig({
        PORT: '',
        HOST: '   ',
        PARTNER_CENTER_BASE_URL: '',
        LOG_LEVEL: ' ',
        NODE_ENV: '',
        SANDBOX_ENABLED: '',
      }),
    ).toEqual(DEFAULTS);
  });

  it('treats undefined values as absent', () => {
    expect(loadConfig({ PORT: undefined, NODE_ENV: undefined })).toEqual(DEFAULTS);
  });

  it('turns sandbox and introspection off in production', () => {
    expect(loadConfig({ NODE_ENV: 'production' })).toEqual({
      ...DEFAULTS,
      nodeEnv: 'production',
      isProduction: true,
      sandboxEnabled: false,
      introspectionEnabled: false,
    });
  });

  it('lets SANDBOX_ENABLED and INTROSPECTION_ENABLED turn them back on in production', () => {
    expect(
      loadConfig({ NODE_ENV: 'production', SANDBOX_ENABLED: 'true', INTROSPECTION_ENABLED: '1' }),
    ).toEqual({
      ...DEFAULTS,
      nodeEnv: 'production',
      isProduction: true,
      sandboxEnabled: true,
      introspectionEnabled: true,
    });
  });

  it('lets SANDBOX_ENABLED and INTROSPECTION_ENABLED turn them off outside production', () => {
    expect(loadConfig({ SANDBOX_ENABLED: 'false', INTROSPECTION_ENABLED: 'no' })).toEqual({
      ...DEFAULTS,
      sandboxEnabled: false,
      introspectionEnabled: false,
    });
  });

  it('keeps sandbox and introspection on in the test environment', () => {
    expect(loadConfig({ NODE_ENV: 'test' })).toEqual({ ...DEFAULTS, nodeEnv: 'test' });
  });
});

describe('loadConfig parsing', () => {
  it('reads every variable', () => {
    expect(
      loadConfig({
        PORT: '8080',
        HOST: '0.0.0.0',
        PARTNER_CENTER_BASE_URL: 'https://api.partnercenter.microsoft.com',
        UPSTREAM_TIMEOUT_MS: '2500',
        UPSTREAM_MAX_CONCURRENCY: '4',
        UPSTREAM_RETRIES: '0',
        UPSTREAM_RETRY_BASE_MS: '50',
        UPSTREAM_RETRY_AFTER_MAX_MS: '0',
        UPSTREAM_MAX_CALLS_PER_MINUTE: '500',
        BREAKER_FAILURE_THRESHOLD: '3',
        BREAKER_HALF_OPEN_MS: '1000',
        OPERATION_TIMEOUT_MS: '3000',
        MAX_UPSTREAM_CALLS_PER_OPERATION: '10',
        MAX_QUERY_DEPTH: '5',
        MAX_ALIASES: '0',
        MAX_QUERY_TOKENS: '500',
        LOG_LEVEL: 'debug',
        NODE_ENV: 'test',
        MAX_CUSTOMER_IDS: '50',
        BODY_LIMIT_BYTES: '1024',
        SANDBOX_ENABLED: 'no',
        INTROSPECTION_ENABLED: 'yes',
        SHUTDOWN_GRACE_MS: '0',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
        CORS_ORIGINS: 'https://portal.example.com, http://localhost:5173',
        APQ_CACHE_BYTES: '1024',
        CACHE_MAX_AGE_SECONDS: '600',
        CACHE_MAX_AGE_IN_REVIEW_SECONDS: '10',
        CACHE_ENABLED: 'false',
        CACHE_MAX_ENTRIES: '50',
        CACHE_STALE_IF_ERROR_SECONDS: '0',
        REDIS_URL: 'rediss://:pw@cache.internal:6380/2',
        SIMULATOR_PORT: '0',
        SIMULATOR_LATENCY_MS: '60000',
        SIMULATOR_VETTING_SECONDS: '1',
        SUBSCRIPTION_MAX_IDS: '5',
        SUBSCRIPTIONS_PER_CONNECTION_MAX: '3',
        WATCH_POLL_IN_REVIEW_SECONDS: '1',
        WATCH_POLL_SECONDS: '2',
        AUDIT_POLL_SECONDS: '0',
      }),
    ).toEqual({
      port: 8080,
      host: '0.0.0.0',
      partnerCenterBaseUrl: new URL('https://api.partnercenter.microsoft.com/'),
      upstreamTimeoutMs: 2500,
      upstreamMaxConcurrency: 4,
      upstreamRetries: 0,
      upstreamRetryBaseMs: 50,
      upstreamRetryAfterMaxMs: 0,
      upstreamMaxCallsPerMinute: 500,
      breakerFailureThreshold: 3,
      breakerHalfOpenMs: 1000,
      operationTimeoutMs: 3000,
      maxUpstreamCallsPerOperation: 10,
      maxQueryDepth: 5,
      maxAliases: 0,
      maxQueryTokens: 500,
      logLevel: 'debug',
      nodeEnv: 'test',
      isProduction: false,
      maxCustomerIds: 50,
      bodyLimitBytes: 1024,
      sandboxEnabled: false,
      introspectionEnabled: true,
      shutdownGraceMs: 0,
      otlpTracesUrl: new URL('http://collector:4318/v1/traces'),
      simulatorPort: 0,
      simulatorLatencyMs: 60_000,
      simulatorVettingSeconds: 1,
      subscriptionMaxIds: 5,
      subscriptionsPerConnectionMax: 3,
      watchPollInReviewSeconds: 1,
      watchPollSeconds: 2,
      auditPollSeconds: 0,
      partnerCenterAuth: { mode: 'user' },
      inboundAuth: { routerSecret: undefined, jwt: undefined },
      corsOrigins: ['https://portal.example.com', 'http://localhost:5173'],
      apqCacheBytes: 1024,
      cacheMaxAgeSeconds: 600,
      cacheMaxAgeInReviewSeconds: 10,
      cacheEnabled: false,
      cacheMaxEntries: 50,
      cacheStaleIfErrorSeconds: 0,
      redisUrl: new URL('rediss://:pw@cache.internal:6380/2'),
    } satisfies Config);
  });

  it('prefers OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, taken as it is, over the base endpoint', () => {
    expect(
      loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example.com/custom/path',
      }).otlpTracesUrl,
    ).toEqual(new URL('https://traces.example.com/custom/path'));
  });

  it('gives shutdown as long as an operation may run, unless SHUTDOWN_GRACE_MS says otherwise', () => {
    expect(loadConfig({ OPERATION_TIMEOUT_MS: '45000' })).toEqual({
      ...DEFAULTS,
      operationTimeoutMs: 45_000,
      shutdownGraceMs: 45_000,
    });
    expect(loadConfig({ OPERATION_TIMEOUT_MS: '45000', SHUTDOWN_GRACE_MS: '5000' })).toEqual({
      ...DEFAULTS,
      operationTimeoutMs: 45_000,
      shutdownGraceMs: 5_000,
    });
  });

  it('trims whitespace around values', () => {
    expect(
      loadConfig({ PORT: ' 8080 ', HOST: '\tgateway.internal\n', LOG_LEVEL: ' warn ' }),
    ).toEqual({ ...DEFAULTS, port: 8080, host: 'gateway.internal', logLevel: 'warn' });
  });

  it.each([
    ['0', 0],
    ['65535', 65535],
    ['08080', 8080],
  ])('accepts PORT=%j as %i', (raw, port) => {
    expect(loadConfig({ PORT: raw }).port).toBe(port);
  });

  it.each([
    ['UPSTREAM_TIMEOUT_MS', '1', 'upstreamTimeoutMs', 1],
    ['UPSTREAM_TIMEOUT_MS', '300000', 'upstreamTimeoutMs', 300_000],
    ['UPSTREAM_MAX_CONCURRENCY', '1', 'upstreamMaxConcurrency', 1],
    ['UPSTREAM_MAX_CONCURRENCY', '1024', 'upstreamMaxConcurrency', 1024],
    ['MAX_CUSTOMER_IDS', '1', 'maxCustomerIds', 1],
    ['MAX_CUSTOMER_IDS', '1000', 'maxCustomerIds', 1000],
    ['BODY_LIMIT_BYTES', '67108864', 'bodyLimitBytes', 64 * 1024 * 1024],
    ['SHUTDOWN_GRACE_MS', '600000', 'shutdownGraceMs', 600_000],
    ['SIMULATOR_PORT', '65535', 'simulatorPort', 65535],
    ['SIMULATOR_LATENCY_MS', '0', 'simulatorLatencyMs', 0],
    ['SIMULATOR_VETTING_SECONDS', '0', 'simulatorVettingSeconds', 0],
    ['SIMULATOR_VETTING_SECONDS', '86400', 'simulatorVettingSeconds', 86_400],
    ['SUBSCRIPTION_MAX_IDS', '1', 'subscriptionMaxIds', 1],
    ['SUBSCRIPTIONS_PER_CONNECTION_MAX', '1', 'subscriptionsPerConnectionMax', 1],
    ['WATCH_POLL_IN_REVIEW_SECONDS', '1', 'watchPollInReviewSeconds', 1],
    ['WATCH_POLL_SECONDS', '1', 'watchPollSeconds', 1],
    ['AUDIT_POLL_SECONDS', '0', 'auditPollSeconds', 0],
    ['AUDIT_POLL_SECONDS', '86400', 'auditPollSeconds', 86_400],
  ] as const)('accepts %s=%s at the edge of its range', (name, raw, key, value) => {
    expect(loadConfig({ [name]: raw })).toEqual({ ...DEFAULTS, [key]: value });
  });

  it.each(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const)(
    'accepts LOG_LEVEL=%s',
    (level) => {
      expect(loadConfig({ LOG_LEVEL: level }).logLevel).toBe(level);
    },
  );

  it('reads LOG_LEVEL and NODE_ENV case-insensitively', () => {
    expect(loadConfig({ LOG_LEVEL: 'DEBUG', NODE_ENV: 'Production' })).toEqual({
      ...DEFAULTS,
      logLevel: 'debug',
      nodeEnv: 'production',
      isProduction: true,
      sandboxEnabled: false,
      introspectionEnabled: false,
    });
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
    ['Yes', true],
    ['false', false],
    ['False', false],
    ['0', false],
    ['no', false],
    ['NO', false],
  ])('reads SANDBOX_ENABLED=%j as %s', (raw, value) => {
    expect(loadConfig({ NODE_ENV: 'production', SANDBOX_ENABLED: raw }).sandboxEnabled).toBe(value);
    expect(loadConfig({ NODE_ENV: 'development', SANDBOX_ENABLED: raw }).sandboxEnabled).toBe(
      value,
    );
  });

  it.each(['localhost', '127.0.0.1', '::', '::1', 'gateway-1.example.com', 'my_host'])(
    'accepts HOST=%j',
    (host) => {
      expect(loadConfig({ HOST: host }).host).toBe(host);
    },
  );

  it.each([
    ['http://localhost:4010', 'http://localhost:4010/'],
    ['https://api.partnercenter.microsoft.com/', 'https://api.partnercenter.microsoft.com/'],
    ['https://example.test/prefix', 'https://example.test/prefix'],
  ])('accepts PARTNER_CENTER_BASE_URL=%j', (raw, href) => {
    expect(loadConfig({ PARTNER_CENTER_BASE_URL: raw }).partnerCenterBaseUrl).toEqual(
      new URL(href),
    );
  });
});

describe('loadConfig problems', () => {
  it('reports every bad variable in one ConfigError', () => {
    const error = configError({
      NODE_ENV: 'staging',
      HOST: 'bad host/name',
      PORT: '70000',
      PARTNER_CENTER_BASE_URL: 'ftp://example.test',
      UPSTREAM_TIMEOUT_MS: '0',
      UPSTREAM_MAX_CONCURRENCY: 'many',
      UPSTREAM_MAX_CALLS_PER_MINUTE: '1',
      LOG_LEVEL: 'loud',
      MAX_CUSTOMER_IDS: '1001',
      BODY_LIMIT_BYTES: '1023',
      SANDBOX_ENABLED: 'maybe',
      INTROSPECTION_ENABLED: 'on',
      SHUTDOWN_GRACE_MS: '-1',
      SIMULATOR_PORT: '1.5',
      SIMULATOR_LATENCY_MS: '60001',
      SIMULATOR_VETTING_SECONDS: '-1',
    });
    expect(error.problems).toEqual([
      'NODE_ENV must be one of development, production, test',
      'HOST must be a host name or IP address',
      'PORT must be a whole number from 0 to 65535',
      'PARTNER_CENTER_BASE_URL must use https (or http for a local fake)',
      'UPSTREAM_TIMEOUT_MS must be a whole number from 1 to 300000',
      'UPSTREAM_MAX_CONCURRENCY must be a whole number from 1 to 1024',
      'UPSTREAM_MAX_CALLS_PER_MINUTE must be a whole number from 2 to 1000000',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
      'MAX_CUSTOMER_IDS must be a whole number from 1 to 1000',
      'BODY_LIMIT_BYTES must be a whole number from 1024 to 67108864',
      'SANDBOX_ENABLED must be true or false',
      'INTROSPECTION_ENABLED must be true or false',
      'SHUTDOWN_GRACE_MS must be a whole number from 0 to 600000',
      'SIMULATOR_PORT must be a whole number from 0 to 65535',
      'SIMULATOR_LATENCY_MS must be a whole number from 0 to 60000',
      'SIMULATOR_VETTING_SECONDS must be a whole number from 0 to 86400',
    ]);
  });

  it('lists the problems in the message, one per line', () => {
    const error = configError({ PORT: 'abc', LOG_LEVEL: 'loud' });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ConfigError');
    expect(error.problems).toEqual([
      'PORT must be a whole number from 0 to 65535',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    ]);
    expect(error.message).toBe(
      'Invalid configuration:\n' +
        '  - PORT must be a whole number from 0 to 65535\n' +
        '  - LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    );
  });

  it.each(['-1', '1.5', '1e3', '0x10', '4000abc', '65536', '99999999999999999999', 'abc'])(
    'refuses PORT=%j',
    (raw) => {
      expect(configError({ PORT: raw }).problems).toEqual([
        'PORT must be a whole number from 0 to 65535',
      ]);
    },
  );

  it.each([
    ['not a url', 'PARTNER_CENTER_BASE_URL must be an absolute http(s) URL'],
    ['/v1/customers', 'PARTNER_CENTER_BASE_URL must be an absolute http(s) URL'],
    ['ftp://example.test', 'PARTNER_CENTER_BASE_URL must use https (or http for a local fake)'],
    ['file:///etc/passwd', 'PARTNER_CENTER_BASE_URL must use https (or http for a local fake)'],
    [
      'https://user:pass@example.test',
      'PARTNER_CENTER_BASE_URL must not contain credentials, a query or a fragment',
    ],
    [
      'https://user@example.test',
      'PARTNER_CENTER_BASE_URL must not contain credentials, a query or a fragment',
    ],
    [
      'https://example.test/?key=1',
      'PARTNER_CENTER_BASE_URL must not contain credentials, a query or a fragment',
    ],
    [
      'https://example.test/#top',
      'PARTNER_CENTER_BASE_URL must not contain credentials, a query or a fragment',
    ],
  ])('refuses PARTNER_CENTER_BASE_URL=%j', (raw, problem) => {
    expect(configError({ PARTNER_CENTER_BASE_URL: raw }).problems).toEqual([problem]);
  });

  it.each(['bad host', 'host/path', 'host;rm -rf', 'höst'])('refuses HOST=%j', (host) => {
    expect(configError({ HOST: host }).problems).toEqual([
      'HOST must be a host name or IP address',
    ]);
  });

  it('never echoes a credential from PARTNER_CENTER_BASE_URL', () => {
    const error = configError({ PARTNER_CENTER_BASE_URL: 'https://user:s3cret@host' });
    expect(error.problems).toEqual([
      'PARTNER_CENTER_BASE_URL must not contain credentials, a query or a fragment',
    ]);
    expect(error.message).not.toContain('s3cret');
    expect(error.message).not.toContain('user');
    expect(error.problems.join('\n')).not.toContain('s3cret');
  });

  it.each(['http://cache:6379', 'localhost:6379', 'redis://', 'not a url at all'])(
    'refuses REDIS_URL=%j without echoing it',
    (raw) => {
      const error = configError({ REDIS_URL: `${raw}#hunter2` });
      expect(error.problems).toEqual([
        'REDIS_URL must be a redis:// or rediss:// URL with a host, such as redis://localhost:6379',
      ]);
      expect(error.message).not.toContain('hunter2');
    },
  );

  it.each([
    ['CACHE_MAX_ENTRIES', '0'],
    ['CACHE_STALE_IF_ERROR_SECONDS', '-1'],
    ['CACHE_ENABLED', 'maybe'],
  ])('refuses %s=%s', (name, raw) => {
    expect(configError({ [name]: raw }).problems).toHaveLength(1);
  });

  it('never echoes any bad value', () => {
    const values = {
      PORT: 'secret-port-value',
      HOST: 'secret host value',
      PARTNER_CENTER_BASE_URL: 'secret-url-value',
      LOG_LEVEL: 'secret-level-value',
      NODE_ENV: 'secret-env-value',
      SANDBOX_ENABLED: 'secret-bool-value',
    };
    const error = configError(values);
    expect(error.problems).toHaveLength(6);
    for (const value of Object.values(values)) {
      expect(error.message).not.toContain(value);
    }
    expect(error.message).not.toContain('secret');
  });
});

describe('loadConfig result', () => {
  it('is frozen', () => {
    const config = loadConfig({ PORT: '8080' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Reflect.set(config, 'port', 1)).toBe(false);
    expect(config.port).toBe(8080);
  });

  it('does not read properties the environment does not name', () => {
    expect(loadConfig({ UNRELATED: 'x', port: '1' })).toEqual(DEFAULTS);
  });
});

describe('credentials configuration', () => {
  const app = {
    PARTNER_CENTER_AUTH: 'app',
    AZURE_TENANT_ID: 'contoso.onmicrosoft.com',
    AZURE_CLIENT_ID: 'client',
    AZURE_CLIENT_SECRET: 'super-secret-value',
    ROUTER_SECRET: 'router-secret-0123456789',
  };

  it('reads app mode with its defaults', () => {
    expect(loadConfig(app).partnerCenterAuth).toEqual({
      mode: 'app',
      authorityHost: new URL('https://login.microsoftonline.com'),
      tenantId: 'contoso.onmicrosoft.com',
      clientId: 'client',
      credential: { kind: 'secret', secret: 'super-secret-value' },
      scope: 'https://api.partnercenter.microsoft.com/.default',
    });
  });

  it('refuses app mode without inbound authentication', () => {
    expect(configError({ ...app, ROUTER_SECRET: '' }).problems).toEqual([
      'PARTNER_CENTER_AUTH=app lets anyone who reaches the gateway read every customer: set ROUTER_SECRET and/or INBOUND_JWKS_URL, INBOUND_JWT_ISSUER, INBOUND_JWT_AUDIENCE',
    ]);
  });

  it('names every missing or wrong setting, never printing a secret', () => {
    const error = configError({
      PARTNER_CENTER_AUTH: 'app',
      AZURE_AUTHORITY_HOST: 'http://login.example.com',
      AZURE_CLIENT_SECRET: 'super-secret-value',
      AZURE_CLIENT_CERTIFICATE_PATH: '/etc/cert.pem',
      ROUTER_SECRET: 'short-secret',
      INBOUND_JWKS_URL: 'https://issuer.example.com/keys',
    });

    expect(error.problems).toEqual([
      'ROUTER_SECRET must be at least 16 characters',
      'INBOUND_JWKS_URL, INBOUND_JWT_ISSUER and INBOUND_JWT_AUDIENCE go together: set all three',
      'AZURE_AUTHORITY_HOST must use https',
      'AZURE_TENANT_ID is required with PARTNER_CENTER_AUTH=app',
      'AZURE_CLIENT_ID is required with PARTNER_CENTER_AUTH=app',
      'set only one of AZURE_CLIENT_SECRET and AZURE_CLIENT_CERTIFICATE_PATH',
    ]);
    expect(error.message).not.toContain('super-secret-value');
    expect(error.message).not.toContain('short-secret');
  });
});

describe('CORS_ORIGINS', () => {
  it.each(['*', 'https://portal.example.com/', 'portal.example.com', 'https://*.example.com'])(
    'refuses %j: exact origins only',
    (value) => {
      expect(configError({ CORS_ORIGINS: value }).problems).toEqual([
        'CORS_ORIGINS must list exact origins such as https://portal.example.com, comma-separated',
      ]);
    },
  );
});
