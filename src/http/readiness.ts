import type { AppTokenProvider } from '../credentials/app-token.js';
import type { BreakerState } from '../partner-center/resilience.js';

/** What may be wrong beyond this pod, as metric label values (a closed set). */
export const DEGRADATIONS = [
  'circuit_breaker_open',
  'app_token_unavailable',
  'redis_unreachable',
] as const;
export type Degradation = (typeof DEGRADATIONS)[number];

const DESCRIPTIONS: Record<Degradation, string> = {
  circuit_breaker_open: 'Partner Center circuit breaker is open',
  app_token_unavailable: 'no Partner Center app token (the last one was had earlier)',
  redis_unreachable: 'Redis is unreachable: the cache and the call budget are this process’s own',
};

export interface Readiness {
  /** Why this pod must not get traffic: `/readyz` answers 503. */
  problems(): Promise<string[]>;
  /** What every replica shares: `/readyz` stays 200 and lists them, a metric counts them. */
  degradations(): Promise<Degradation[]>;
  describe(degradation: Degradation): string;
}

/**
 * The pod's own readiness, apart from the state it shares with every replica. Only the app
 * token before its first success is the pod's own (it has never been able to serve); a breaker
 * open on Partner Center or an authority failing later is the same for all replicas, and pulling
 * them all out of the load balancer would turn a degraded service into none.
 */
export function createReadiness(
  breakerState: () => BreakerState,
  appToken: AppTokenProvider | undefined,
  /** Absent without `REDIS_URL`. Redis is an accelerator: its loss degrades, never unreadies. */
  redisReady?: () => boolean,
): Readiness {
  // Asking MSAL costs a cache look-up while the token is good; after a failure each probe tries
  // again, so readiness recovers by itself.
  const tokenFails = (token: AppTokenProvider) =>
    token.authorization().then(
      () => false,
      () => true,
    );
  return {
    async problems() {
      if (appToken === undefined || appToken.hadToken()) return [];
      return (await tokenFails(appToken)) ? ['no Partner Center app token'] : [];
    },
    async degradations() {
      const found: Degradation[] = [];
      if (breakerState() === 'open') found.push('circuit_breaker_open');
      if (appToken?.hadToken() === true && (await tokenFails(appToken))) {
        found.push('app_token_unavailable');
      }
      if (redisReady !== undefined && !redisReady()) found.push('redis_unreachable');
      return found;
    },
    describe: (degradation) => DESCRIPTIONS[degradation],
  };
}
