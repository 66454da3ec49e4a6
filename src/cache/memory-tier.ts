import { LRUCache } from 'lru-cache';
import type { CacheEntry } from './kind.js';

/**
 * The in-process tier: a bounded LRU of entries, keyed by kind, customer and scope. An index
 * from customer to its keys lets a write drop that customer in every scope without a scan.
 */
export class MemoryTier {
  private readonly entries: LRUCache<string, CacheEntry<unknown>>;
  private readonly byCustomer = new Map<string, Set<string>>();

  constructor(maxEntries: number) {
    this.entries = new LRUCache<string, CacheEntry<unknown>>({
      max: maxEntries,
      dispose: (_entry, key) => {
        const customer = customerOf(key);
        const keys = this.byCustomer.get(customer);
        keys?.delete(key);
        if (keys?.size === 0) this.byCustomer.delete(customer);
      },
    });
  }

  get<T>(kind: string, id: string, scope: string, now = Date.now()): CacheEntry<T> | undefined {
    const key = keyOf(kind, id, scope);
    const entry = this.entries.get(key) as CacheEntry<T> | undefined;
    if (entry !== undefined && entry.staleUntil <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Without touching recency: a question about the entry, not a use of it. */
  peek<T>(kind: string, id: string, scope: string): CacheEntry<T> | undefined {
    return this.entries.peek(keyOf(kind, id, scope)) as CacheEntry<T> | undefined;
  }

  set<T>(kind: string, id: string, scope: string, entry: CacheEntry<T>): void {
    const ttl = entry.staleUntil - Date.now();
    if (ttl <= 0) return;
    const key = keyOf(kind, id, scope);
    this.entries.set(key, entry, { ttl });
    const customer = customerOf(key);
    let keys = this.byCustomer.get(customer);
    if (keys === undefined) {
      keys = new Set();
      this.byCustomer.set(customer, keys);
    }
    keys.add(key);
  }

  /** Drops the customer's entries of this kind in every scope. */
  deleteCustomer(kind: string, id: string): void {
    const keys = this.byCustomer.get(`${kind}\u0000${id}`);
    if (keys === undefined) return;
    for (const key of [...keys]) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

function keyOf(kind: string, id: string, scope: string): string {
  return `${kind}\u0000${id}\u0000${scope}`;
}

function customerOf(key: string): string {
  return key.slice(0, key.lastIndexOf('\u0000'));
}
