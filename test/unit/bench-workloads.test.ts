import { describe, expect, it } from 'vitest';
import { DEFAULT_WORKLOADS, WORKLOADS } from '../../bench/workloads.js';
import { loadConfig } from '../../src/config.js';
import { budgetWindows } from '../../src/fleet/budget-windows.js';

describe('the reference workloads', () => {
  it('send R2, R3 and R4 exactly the requests of W1, W2 and W3, rotating the same way', () => {
    for (const [reference, gateway] of [
      ['R2', 'W1'],
      ['R3', 'W2'],
      ['R4', 'W3'],
    ] as const) {
      const r = WORKLOADS[reference];
      const w = WORKLOADS[gateway];
      expect(r.reference, reference).toBe('bench/reference/apollo-minimal.ts');
      expect(r.customersPerOperation, reference).toBe(w.customersPerOperation);
      expect(r.uniqueCustomersPerOperation, reference).toBe(w.uniqueCustomersPerOperation);
      for (const n of [0, 1, 66, 999])
        expect(r.request(n), `${reference} #${n}`).toEqual(w.request(n));
    }
  });

  it('leave the default list as it was: the references and W7 only when asked for', () => {
    expect(DEFAULT_WORKLOADS).toEqual(['W1', 'W2', 'W3', 'W4', 'W5', 'W6', 'O1']);
  });
});

describe('W7', () => {
  it("is W1's request, cold, with a Redis and a call budget the gateway accepts", () => {
    const w7 = WORKLOADS.W7;
    expect(w7.request(42)).toEqual(WORKLOADS.W1.request(42));
    expect(w7.redis).toBe(true);
    expect(w7.replicas).toBeUndefined();

    const config = loadConfig({
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      PARTNER_CENTER_BASE_URL: 'http://127.0.0.1:4010',
      ...w7.gatewayEnv,
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
    expect(config.cacheEnabled).toBe(false);
    expect(config.redisUrl).toBeDefined();
    const perMinute = config.upstreamMaxCallsPerMinute;
    expect(perMinute).toBeDefined();
    // Sustained calls a second the budget allows: far above what one gateway reads.
    const windows = budgetWindows(perMinute ?? 0);
    expect(windows.points / windows.seconds).toBeGreaterThan(10_000);
  });

  it('starts a redis-server, as W6 does', () => {
    expect(WORKLOADS.W6.redis).toBe(true);
  });
});
