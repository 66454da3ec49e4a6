/**
 * The only module that reads the environment. `loadConfig` is pure: it takes the environment as
 * an argument, reports every problem at once, and never echoes a value back (one of them may be
 * a secret pasted into the wrong variable).
 */

export type NodeEnv = 'development' | 'production' | 'test';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  readonly port: number;
  readonly host: string;
  /** Absent: `npm start` runs the built-in Partner Center simulator as upstream. */
  readonly partnerCenterBaseUrl: URL | undefined;
  readonly upstreamTimeoutMs: number;
  readonly upstreamMaxConcurrency: number;
  readonly upstreamRetries: number;
  readonly upstreamRetryBaseMs: number;
  readonly upstreamRetryAfterMaxMs: number;
  /**
   * At most this many Partner Center requests in any 60 s, across every replica sharing
   * `redisUrl` (per process without it); absent: no budget.
   */
  readonly upstreamMaxCallsPerMinute: number | undefined;
  readonly breakerFailureThreshold: number;
  readonly breakerHalfOpenMs: number;
  readonly operationTimeoutMs: number;
  readonly maxUpstreamCallsPerOperation: number;
  readonly maxQueryDepth: number;
  readonly maxAliases: number;
  readonly maxQueryTokens: number;
  readonly logLevel: LogLevel;
  readonly nodeEnv: NodeEnv;
  readonly isProduction: boolean;
  readonly maxCustomerIds: number;
  readonly bodyLimitBytes: number;
  readonly sandboxEnabled: boolean;
  readonly introspectionEnabled: boolean;
  readonly shutdownGraceMs: number;
  /** Where to send OTLP/HTTP traces; absent: spans are not exported. */
  readonly otlpTracesUrl: URL | undefined;
  readonly simulatorPort: number;
  readonly simulatorLatencyMs: number;
  /** How long the simulator keeps a qualification InReview before deciding it; 0: never. */
  readonly simulatorVettingSeconds: number;
  /** Most customer ids one `customerQualificationsChanged` may watch. */
  readonly subscriptionMaxIds: number;
  /** Most subscriptions one WebSocket connection may hold at once. */
  readonly subscriptionsPerConnectionMax: number;
  /** How often a watched customer is read while a vetting is in review or it is unknown. */
  readonly watchPollInReviewSeconds: number;
  /** How often a watched customer is read otherwise. */
  readonly watchPollSeconds: number;
  /**
   * How often the fleet reads Partner Center's audit records (app mode only, docs/cache.md);
   * 0: never.
   */
  readonly auditPollSeconds: number;
  readonly partnerCenterAuth: PartnerCenterAuth;
  readonly inboundAuth: InboundAuth;
  /** Browser origins allowed to call cross-origin; empty: none. */
  readonly corsOrigins: readonly string[];
  /** Upper bound of the automatic persisted query store. */
  readonly apqCacheBytes: number;
  /** `Cache-Control` max-age of settled answers, and of answers with vetting still in review. */
  readonly cacheMaxAgeSeconds: number;
  readonly cacheMaxAgeInReviewSeconds: number;
  /** The gateway's own cache of Partner Center reads (`src/cache/`). */
  readonly cacheEnabled: boolean;
  readonly cacheMaxEntries: number;
  /** How long past freshness an entry may stand in for a failed read; 0: never. */
  readonly cacheStaleIfErrorSeconds: number;
  /** The shared cache tier; absent: the cache lives in each process only. */
  readonly redisUrl: URL | undefined;
}

/** How the gateway authenticates to Partner Center. */
export type PartnerCenterAuth =
  /** Forward each caller's own (App+User) bearer token. */
  | { readonly mode: 'user' }
  /** Use the gateway's own app identity: client credentials from Microsoft Entra ID. */
  | {
      readonly mode: 'app';
      readonly authorityHost: URL;
      readonly tenantId: string;
      readonly clientId: string;
      readonly credential:
        | { readonly kind: 'secret'; readonly secret: string }
        | { readonly kind: 'certificate'; readonly path: string };
      readonly scope: string;
    };

/** Who may call the gateway; each part is optional, but app mode needs at least one. */
export interface InboundAuth {
  /** Shared secret the router sends in `Router-Authorization`. */
  readonly routerSecret?: string | undefined;
  /** Callers' JWTs, checked against a JWKS. */
  readonly jwt?:
    { readonly jwksUrl: URL; readonly issuer: string; readonly audience: string } | undefined;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const LOG_LEVELS: readonly LogLevel[] = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
];
const NODE_ENVS: readonly NodeEnv[] = ['development', 'production', 'test'];

type Env = Readonly<Record<string, string | undefined>>;

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };

  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const found = allowed.find((candidate) => candidate === raw.toLowerCase());
    if (found === undefined) problems.push(`${name} must be one of ${allowed.join(', ')}`);
    return found ?? fallback;
  };

  const bool = (name: string, fallback: boolean): boolean => {
    const raw = read(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['true', '1', 'yes'].includes(raw)) return true;
    if (['false', '0', 'no'].includes(raw)) return false;
    problems.push(`${name} must be true or false`);
    return fallback;
  };

  const baseUrl = (name: string): URL | undefined => {
    const raw = read(name);
    if (raw === undefined) return undefined;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      problems.push(`${name} must be an absolute http(s) URL`);
      return undefined;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      problems.push(`${name} must use https (or http for a local fake)`);
    } else if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
      problems.push(`${name} must not contain credentials, a query or a fragment`);
    }
    return url;
  };

  // The OpenTelemetry convention: a traces endpoint as given, or a base endpoint plus /v1/traces.
  const otlpTracesUrl = (): URL | undefined => {
    const traces = baseUrl('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
    if (traces !== undefined) return traces;
    const base = baseUrl('OTEL_EXPORTER_OTLP_ENDPOINT');
    return base === undefined
      ? undefined
      : new URL(`${base.pathname.replace(/\/+$/, '')}/v1/traces`, base);
  };

  // Exact origins only (scheme, host, port): a pattern or `*` would not cover `authorization`
  // anyway, and a typo must not silently open the gateway to every site.
  const origins = (name: string): string[] => {
    const raw = read(name);
    if (raw === undefined) return [];
    const list = raw
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    for (const entry of list) {
      let origin: string | undefined;
      try {
        origin = new URL(entry).origin;
      } catch {
        origin = undefined;
      }
      if (origin !== entry || entry.includes('*')) {
        problems.push(
          `${name} must list exact origins such as https://portal.example.com, comma-separated`,
        );
        return [];
      }
    }
    return list;
  };

  const nodeEnv = oneOf('NODE_ENV', NODE_ENVS, 'development');
  const isProduction = nodeEnv === 'production';
  const host = read('HOST') ?? 'localhost';
  if (!/^[\w.:-]+$/.test(host)) problems.push('HOST must be a host name or IP address');

  const inboundAuth = readInboundAuth(read, baseUrl, problems);
  const partnerCenterAuth = readPartnerCenterAuth(read, baseUrl, problems);
  if (
    partnerCenterAuth.mode === 'app' &&
    inboundAuth.routerSecret === undefined &&
    inboundAuth.jwt === undefined
  ) {
    problems.push(
      'PARTNER_CENTER_AUTH=app lets anyone who reaches the gateway read every customer: set ROUTER_SECRET and/or INBOUND_JWKS_URL, INBOUND_JWT_ISSUER, INBOUND_JWT_AUDIENCE',
    );
  }
  const operationTimeoutMs = int('OPERATION_TIMEOUT_MS', 20_000, 1, 600_000);
  const config: Config = {
    port: int('PORT', 4000, 0, 65535),
    host,
    partnerCenterBaseUrl: baseUrl('PARTNER_CENTER_BASE_URL'),
    upstreamTimeoutMs: int('UPSTREAM_TIMEOUT_MS', 10_000, 1, 300_000),
    upstreamMaxConcurrency: int('UPSTREAM_MAX_CONCURRENCY', 16, 1, 1024),
    upstreamRetries: int('UPSTREAM_RETRIES', 2, 0, 10),
    upstreamRetryBaseMs: int('UPSTREAM_RETRY_BASE_MS', 200, 1, 60_000),
    upstreamRetryAfterMaxMs: int('UPSTREAM_RETRY_AFTER_MAX_MS', 5_000, 0, 300_000),
    // At least 2: a budget for any 60 s kept by fixed windows needs two of them (src/fleet/).
    upstreamMaxCallsPerMinute:
      read('UPSTREAM_MAX_CALLS_PER_MINUTE') === undefined
        ? undefined
        : int('UPSTREAM_MAX_CALLS_PER_MINUTE', 0, 2, 1_000_000),
    breakerFailureThreshold: int('BREAKER_FAILURE_THRESHOLD', 5, 1, 10_000),
    breakerHalfOpenMs: int('BREAKER_HALF_OPEN_MS', 10_000, 1, 600_000),
    operationTimeoutMs,
    // Every read counts, cached or not (docs/resilience.md, "Upstream budget"): 200 lets MAX_CUSTOMER_IDS
    // customers with names and qualifications (2 each) and a 100-node directory page (101) run.
    maxUpstreamCallsPerOperation: int('MAX_UPSTREAM_CALLS_PER_OPERATION', 200, 1, 10_000),
    maxQueryDepth: int('MAX_QUERY_DEPTH', 8, 1, 100),
    maxAliases: int('MAX_ALIASES', 30, 0, 1_000),
    maxQueryTokens: int('MAX_QUERY_TOKENS', 2_000, 10, 100_000),
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    nodeEnv,
    isProduction,
    maxCustomerIds: int('MAX_CUSTOMER_IDS', 100, 1, 1000),
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 256 * 1024, 1024, 64 * 1024 * 1024),
    sandboxEnabled: bool('SANDBOX_ENABLED', !isProduction),
    introspectionEnabled: bool('INTROSPECTION_ENABLED', !isProduction),
    // As long as an operation may run: one begun just before SIGTERM ends by its own deadline,
    // not cut short with SHUTTING_DOWN.
    shutdownGraceMs: int('SHUTDOWN_GRACE_MS', operationTimeoutMs, 0, 600_000),
    otlpTracesUrl: otlpTracesUrl(),
    simulatorPort: int('SIMULATOR_PORT', 4010, 0, 65535),
    simulatorLatencyMs: int('SIMULATOR_LATENCY_MS', 0, 0, 60_000),
    simulatorVettingSeconds: int('SIMULATOR_VETTING_SECONDS', 120, 0, 86_400),
    subscriptionMaxIds: int('SUBSCRIPTION_MAX_IDS', 100, 1, 1000),
    subscriptionsPerConnectionMax: int('SUBSCRIPTIONS_PER_CONNECTION_MAX', 20, 1, 1000),
    watchPollInReviewSeconds: int('WATCH_POLL_IN_REVIEW_SECONDS', 60, 1, 86_400),
    watchPollSeconds: int('WATCH_POLL_SECONDS', 900, 1, 86_400),
    auditPollSeconds: int('AUDIT_POLL_SECONDS', 60, 0, 86_400),
    partnerCenterAuth,
    inboundAuth,
    corsOrigins: origins('CORS_ORIGINS'),
    apqCacheBytes: int('APQ_CACHE_BYTES', 8 * 1024 * 1024, 0, 1024 * 1024 * 1024),
    cacheMaxAgeSeconds: int('CACHE_MAX_AGE_SECONDS', 300, 0, 86_400),
    cacheMaxAgeInReviewSeconds: int('CACHE_MAX_AGE_IN_REVIEW_SECONDS', 30, 0, 86_400),
    cacheEnabled: bool('CACHE_ENABLED', true),
    cacheMaxEntries: int('CACHE_MAX_ENTRIES', 10_000, 1, 10_000_000),
    cacheStaleIfErrorSeconds: int('CACHE_STALE_IF_ERROR_SECONDS', 86_400, 0, 30 * 86_400),
    redisUrl: redisUrl(read('REDIS_URL'), problems),
  };

  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

type Read = (name: string) => string | undefined;

/** `redis://` or `rediss://` (TLS), with a host; never echoed, as it may hold a password. */
function redisUrl(raw: string | undefined, problems: string[]): URL | undefined {
  if (raw === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (url === undefined || !['redis:', 'rediss:'].includes(url.protocol) || url.hostname === '') {
    problems.push(
      'REDIS_URL must be a redis:// or rediss:// URL with a host, such as redis://localhost:6379',
    );
    return undefined;
  }
  return url;
}
type ReadUrl = (name: string) => URL | undefined;

const TENANT =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9-]+(\.[a-z0-9-]+)+)$/i;

function readPartnerCenterAuth(read: Read, url: ReadUrl, problems: string[]): PartnerCenterAuth {
  const mode = read('PARTNER_CENTER_AUTH')?.toLowerCase() ?? 'user';
  if (mode === 'user') return { mode: 'user' };
  if (mode !== 'app') {
    problems.push('PARTNER_CENTER_AUTH must be one of user, app');
    return { mode: 'user' };
  }
  const authorityHost = url('AZURE_AUTHORITY_HOST') ?? new URL('https://login.microsoftonline.com');
  // MSAL refuses anything but an HTTPS authority.
  if (authorityHost.protocol !== 'https:') problems.push('AZURE_AUTHORITY_HOST must use https');
  const tenantId = read('AZURE_TENANT_ID');
  if (tenantId === undefined)
    problems.push('AZURE_TENANT_ID is required with PARTNER_CENTER_AUTH=app');
  else if (!TENANT.test(tenantId)) problems.push('AZURE_TENANT_ID must be a GUID or a domain name');
  const clientId = read('AZURE_CLIENT_ID');
  if (clientId === undefined)
    problems.push('AZURE_CLIENT_ID is required with PARTNER_CENTER_AUTH=app');
  const secret = read('AZURE_CLIENT_SECRET');
  const certificatePath = read('AZURE_CLIENT_CERTIFICATE_PATH');
  if (secret === undefined && certificatePath === undefined) {
    problems.push(
      'AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH is required with PARTNER_CENTER_AUTH=app',
    );
  }
  if (secret !== undefined && certificatePath !== undefined) {
    problems.push('set only one of AZURE_CLIENT_SECRET and AZURE_CLIENT_CERTIFICATE_PATH');
  }
  return {
    mode: 'app',
    authorityHost,
    tenantId: tenantId ?? '',
    clientId: clientId ?? '',
    credential:
      certificatePath !== undefined
        ? { kind: 'certificate', path: certificatePath }
        : { kind: 'secret', secret: secret ?? '' },
    scope: read('PARTNER_CENTER_SCOPE') ?? 'https://api.partnercenter.microsoft.com/.default',
  };
}

function readInboundAuth(read: Read, url: ReadUrl, problems: string[]): InboundAuth {
  const routerSecret = read('ROUTER_SECRET');
  if (routerSecret !== undefined && routerSecret.length < 16) {
    problems.push('ROUTER_SECRET must be at least 16 characters');
  }
  const jwksUrl = url('INBOUND_JWKS_URL');
  const issuer = read('INBOUND_JWT_ISSUER');
  const audience = read('INBOUND_JWT_AUDIENCE');
  const given = [jwksUrl, issuer, audience].filter((value) => value !== undefined).length;
  if (given > 0 && given < 3) {
    problems.push(
      'INBOUND_JWKS_URL, INBOUND_JWT_ISSUER and INBOUND_JWT_AUDIENCE go together: set all three',
    );
  }
  return {
    routerSecret,
    jwt:
      jwksUrl !== undefined && issuer !== undefined && audience !== undefined
        ? { jwksUrl, issuer, audience }
        : undefined,
  };
}
