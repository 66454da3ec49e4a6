import { describe, expect, it } from 'vitest';
import {
  apqEntryBytes,
  createApqStore,
  createDocumentStore,
  documentBytes,
  DOCUMENT_STORE_BYTES,
} from '../../src/graphql/query-stores.js';
import {
  apqKey,
  documentKey,
  entryCost,
  heapHeldWhenFull,
  parseDocument,
  SHAPES,
} from '../../scripts/query-store-heap.js';

/**
 * The densest shapes measured (scripts/measure-query-stores.ts has them all): the tiny query of
 * a flood, the most heap per token, the most heap per character.
 */
const DENSEST = ['one field', '200 bare fields', 'long non-Latin-1 string'] as const;
const APQ_BYTES = 4 * 1024 * 1024;

function shape(name: (typeof DENSEST)[number]) {
  const make = SHAPES[name];
  if (make === undefined) throw new Error(`no shape ${name}`);
  return make;
}

function documentEntry(query: string) {
  const key = documentKey(query);
  const value = parseDocument(query);
  return { key, value, size: documentBytes(value, key) };
}

function apqEntry(query: string) {
  const key = apqKey(query);
  return { key, value: query, size: apqEntryBytes(query, key) };
}

describe('the parsed-document store', () => {
  it.each(DENSEST)('counts at least the heap a document holds: %s', (name) => {
    const cost = entryCost('document', shape(name), 500);

    expect(cost.retained).toBeGreaterThan(0);
    expect(cost.retained).toBeLessThanOrEqual(cost.counted);
  });

  it.each(DENSEST)(
    'holds at most its bound of heap when flooded, and keeps the newest documents: %s',
    async (name) => {
      const full = await heapHeldWhenFull(
        createDocumentStore,
        documentEntry,
        shape(name),
        DOCUMENT_STORE_BYTES,
        2,
      );

      expect(full.held).toBeLessThanOrEqual(DOCUMENT_STORE_BYTES);
      expect(full.newestKept).toBe(10);
    },
  );
});

describe('the automatic persisted query store', () => {
  it.each(DENSEST)('counts at least the heap an entry holds, key included: %s', (name) => {
    const cost = entryCost('apq', shape(name), 2_000);

    expect(cost.retained).toBeGreaterThan(0);
    expect(cost.retained).toBeLessThanOrEqual(cost.counted);
  });

  it.each(DENSEST)(
    'holds at most APQ_CACHE_BYTES of heap when flooded, and keeps the newest entries: %s',
    async (name) => {
      const full = await heapHeldWhenFull(
        () => createApqStore(APQ_BYTES),
        apqEntry,
        shape(name),
        APQ_BYTES,
        2,
      );

      expect(full.held).toBeLessThanOrEqual(APQ_BYTES);
      expect(full.newestKept).toBe(10);
    },
  );
});
