import { createHash } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { parse, printSchema, type DocumentNode } from 'graphql';
import { apqEntryBytes, documentBytes } from '../src/graphql/query-stores.js';
import { createSchema } from '../src/graphql/schema.js';

/**
 * Measures the heap the query stores' entries really hold, for `measure-query-stores.ts` and
 * the test that keeps the bounds in src/graphql/query-stores.ts honest. Entries are made the way
 * Apollo makes them: documents parsed with locations under keys `<schema hash>:<query hash>`,
 * APQ texts under `apq:<query hash>`, both keys built by concatenation.
 */

setFlagsFromString('--expose-gc');
// A full collection also drops the bytecode of functions it finds unused for a while; which
// collection does so depends on what ran before, and one that fell between the two readings
// would be counted as heap the store held.
setFlagsFromString('--no-flush-bytecode');
const gc = runInNewContext('gc') as () => void;

/**
 * Heap used once full collections stop changing it: what a flood left dead was seen freed only
 * by the third to fifth collection (2.3 MB of 200-field texts), so a fixed two read a store
 * of 2 MB as holding -8 KB on one run, and one of 4 MiB as 0.2 % over it on a busy CI run.
 */
function heapUsed(): number {
  let previous = Number.NaN;
  let steady = 0;
  for (let collections = 0; collections < 12 && steady < 2; collections++) {
    gc();
    const used = process.memoryUsage().heapUsed;
    steady = Math.abs(used - previous) <= 1024 ? steady + 1 : 0;
    previous = used;
  }
  return previous;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const SCHEMA_PREFIX = `${sha256(printSchema(createSchema()))}:`;

/** Distinct valid operations of one shape: the n-th of each differs from the others. */
export const SHAPES: Readonly<Record<string, (n: number) => string>> = {
  'one field': (n) => `{ a${n}: __typename }`,
  'named, one field': (n) => `query Q${n} { __typename }`,
  '200 bare fields': (n) => `{ a${n}: __typename ${'__typename '.repeat(200)}}`,
  '30 aliases': (n) =>
    `{ ${Array.from({ length: 30 }, (_, k) => `a${n}_${k}: __typename`).join(' ')} }`,
  '60 directives': (n) => `{ a${n}: __typename ${'__typename @skip(if: false) '.repeat(60)}}`,
  'variables and directives': (n) =>
    `query Q${n}($a: Boolean! = true) { ${'__typename @skip(if: $a) '.repeat(80)}}`,
  fragments: (n) => `query Q${n} { ...F } fragment F on Query { ${'__typename '.repeat(50)}}`,
  'nested selections': (n) =>
    `{ a${n}: customer(id: "x") { id ${'qualifications { vettingStatus qualification } '.repeat(30)}} }`,
  'list of 1500 ids': (n) => `{ a${n}: customers(ids: [${'1 '.repeat(1500)}]) { id } }`,
  'long string': (n) => `{ a${n}: customer(id: "${'x'.repeat(20_000)}") { id } }`,
  'long non-Latin-1 string': (n) => `{ a${n}: customer(id: "${'ü€'.repeat(5_000)}") { id } }`,
};

export function documentKey(query: string): string {
  return SCHEMA_PREFIX + sha256(query);
}

export function apqKey(query: string): string {
  return 'apq:' + sha256(query);
}

/** Parses as Apollo's request pipeline does (the token limit is the gateway's concern). */
export function parseDocument(query: string): DocumentNode {
  return parse(query, { maxLexicalTokens: 100_000 });
}

export interface EntryCost {
  /** Heap one entry really holds, averaged over the entries inserted. */
  readonly retained: number;
  /** What src/graphql/query-stores.ts counts for it. */
  readonly counted: number;
  /** What Apollo's default store counts for it (JSON bytes, or characters of a string). */
  readonly apolloCounted: number;
}

/** Inserts `count` distinct entries of `shape` into a store that keeps them all. */
export function entryCost(
  store: 'document' | 'apq',
  shape: (n: number) => string,
  count: number,
): EntryCost {
  // Warm up parsing, so its one-time allocations are not counted.
  for (let n = 0; n < 50; n++) parseDocument(shape(1e9 + n));
  let counted = 0;
  let apolloCounted = 0;
  const before = heapUsed();
  // Made like the gateway's stores (bounded by size, not count), which grow their lists as
  // entries come; this one never evicts.
  const cache = new InMemoryLRUCache<DocumentNode | string>({
    maxSize: Number.MAX_SAFE_INTEGER,
    sizeCalculation: () => 1,
  });
  for (let n = 0; n < count; n++) {
    const query = shape(n);
    if (store === 'document') {
      const key = documentKey(query);
      const document = parseDocument(query);
      counted += documentBytes(document, key);
      apolloCounted += InMemoryLRUCache.sizeCalculation(document);
      void cache.set(key, document);
    } else {
      const key = apqKey(query);
      counted += apqEntryBytes(query, key);
      apolloCounted += InMemoryLRUCache.sizeCalculation(query);
      void cache.set(key, query);
    }
  }
  const after = heapUsed();
  if (cache.keys().length !== count) throw new Error('the measuring store dropped entries');
  return {
    retained: (after - before) / count,
    counted: counted / count,
    apolloCounted: apolloCounted / count,
  };
}

/**
 * Fills a store made by `create` with distinct entries of `shape` until it has been offered
 * `times` its bound, and returns the heap it holds then, with how many of the last entries
 * offered it still answers.
 */
export async function heapHeldWhenFull<V extends DocumentNode | string>(
  create: () => InMemoryLRUCache<V>,
  entry: (query: string) => { readonly key: string; readonly value: V; readonly size: number },
  shape: (n: number) => string,
  bound: number,
  times = 3,
): Promise<{ readonly held: number; readonly offered: number; readonly newestKept: number }> {
  // Only `kept` holds the store: it is made and flooded in a frame that has returned, since a
  // running frame may keep a reference in a register it no longer uses. The WeakRef proves
  // the store was let go, so a reading of a store still held fails instead of passing low.
  const kept: InMemoryLRUCache<V>[] = [];
  const { offered, newestKept } = await fillNew(kept, create, entry, shape, { bound, times });
  const gone = new WeakRef(kept[0] as object);
  // A WeakRef keeps its target alive until the current job ends.
  await nextTurn();
  // The store's heap is what letting it go frees, both readings taken after the flood: a
  // reading before it would also count whatever else the process grew meanwhile (compiled
  // code, the test runner's own state), which on a busy machine was 2 % of a 4 MiB bound.
  const withStore = heapUsed();
  kept.length = 0;
  const held = withStore - heapUsed();
  await nextTurn();
  if (gone.deref() !== undefined) throw new Error('the measured store was not let go');
  return { held, offered, newestKept };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function fillNew<V extends DocumentNode | string>(
  kept: InMemoryLRUCache<V>[],
  create: () => InMemoryLRUCache<V>,
  entry: (query: string) => { readonly key: string; readonly value: V; readonly size: number },
  shape: (n: number) => string,
  limits: { readonly bound: number; readonly times: number },
): Promise<{ readonly offered: number; readonly newestKept: number }> {
  const store = create();
  kept.push(store);
  return flood(store, entry, shape, limits);
}

async function flood<V extends DocumentNode | string>(
  store: InMemoryLRUCache<V>,
  entry: (query: string) => { readonly key: string; readonly value: V; readonly size: number },
  shape: (n: number) => string,
  { bound, times }: { readonly bound: number; readonly times: number },
): Promise<{ readonly offered: number; readonly newestKept: number }> {
  let offered = 0;
  const keys: string[] = [];
  for (let n = 0; offered < times * bound; n++) {
    const { key, value, size } = entry(shape(n));
    offered += size;
    keys.push(key);
    await store.set(key, value);
  }
  let newestKept = 0;
  for (const key of keys.slice(-10)) if ((await store.get(key)) !== undefined) newestKept++;
  return { offered, newestKept };
}
