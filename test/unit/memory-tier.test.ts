import { describe, expect, it } from 'vitest';
import type { CacheEntry } from '../../src/cache/kind.js';
import { MemoryTier } from '../../src/cache/memory-tier.js';

function entry(value: string, lifetimeMs = 60_000): CacheEntry<string> {
  const now = Date.now();
  return {
    value,
    readAt: now,
    freshUntil: now + lifetimeMs,
    staleUntil: now + lifetimeMs,
    generation: 0,
  };
}

describe('the memory tier', () => {
  it('drops one customer in every scope, and nothing else', () => {
    const tier = new MemoryTier(10);
    tier.set('q', 'c1', 'u.a', entry('a1'));
    tier.set('q', 'c1', 'u.b', entry('b1'));
    tier.set('q', 'c2', 'u.a', entry('a2'));

    tier.deleteCustomer('q', 'c1');

    expect(tier.get('q', 'c1', 'u.a')).toBeUndefined();
    expect(tier.get('q', 'c1', 'u.b')).toBeUndefined();
    expect(tier.get<string>('q', 'c2', 'u.a')?.value).toBe('a2');
  });

  it('holds at most its bound, forgetting the least recently used', () => {
    const tier = new MemoryTier(2);
    tier.set('q', 'c1', 's', entry('1'));
    tier.set('q', 'c2', 's', entry('2'));
    tier.get('q', 'c1', 's');
    tier.set('q', 'c3', 's', entry('3'));

    expect(tier.size).toBe(2);
    expect(tier.get('q', 'c2', 's')).toBeUndefined();
    expect(tier.get<string>('q', 'c1', 's')?.value).toBe('1');
    // An evicted entry leaves nothing behind for the customer's invalidation.
    tier.deleteCustomer('q', 'c2');
    expect(tier.size).toBe(2);
  });

  it('keeps nothing past its last usable moment', () => {
    const tier = new MemoryTier(2);
    tier.set('q', 'c1', 's', entry('1', -1));
    expect(tier.get('q', 'c1', 's')).toBeUndefined();
  });
});
