// `npx tsx scripts/measure-query-stores.ts [entries per shape, default 2000]`: the heap an entry
// of each query store really holds, what src/graphql/query-stores.ts counts for it and what
// Apollo's default stores count, then the heap each store holds when offered three times its
// bound.
import {
  apqEntryBytes,
  createApqStore,
  createDocumentStore,
  documentBytes,
  DOCUMENT_STORE_BYTES,
} from '../src/graphql/query-stores.js';
import {
  apqKey,
  documentKey,
  entryCost,
  heapHeldWhenFull,
  parseDocument,
  SHAPES,
} from './query-store-heap.js';

const COUNT = Number(process.argv[2] ?? 2_000);
const APQ_BYTES = 8 * 1024 * 1024;
const round = (bytes: number) => Math.round(bytes).toLocaleString('en');
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

console.log(`per entry, ${COUNT} distinct entries of each shape (bytes)`);
console.log(
  'store    | shape | retained | counted | retained/counted | Apollo counts | retained/Apollo',
);
for (const store of ['document', 'apq'] as const) {
  for (const [name, shape] of Object.entries(SHAPES)) {
    const cost = entryCost(store, shape, COUNT);
    console.log(
      [
        store,
        name,
        round(cost.retained),
        round(cost.counted),
        (cost.retained / cost.counted).toFixed(2),
        round(cost.apolloCounted),
        (cost.retained / cost.apolloCounted).toFixed(1),
      ].join(' | '),
    );
  }
}

console.log('\nheld after being offered 3× the bound');
for (const [name, shape] of Object.entries(SHAPES)) {
  const documents = await heapHeldWhenFull(
    createDocumentStore,
    (query) => {
      const key = documentKey(query);
      const value = parseDocument(query);
      return { key, value, size: documentBytes(value, key) };
    },
    shape,
    DOCUMENT_STORE_BYTES,
  );
  const apq = await heapHeldWhenFull(
    () => createApqStore(APQ_BYTES),
    (query) => {
      const key = apqKey(query);
      return { key, value: query, size: apqEntryBytes(query, key) };
    },
    shape,
    APQ_BYTES,
  );
  console.log(
    `${name}: document store ${mib(documents.held)} of ${mib(DOCUMENT_STORE_BYTES)} MiB (newest 10: ${documents.newestKept} kept), APQ ${mib(apq.held)} of ${mib(APQ_BYTES)} MiB (${apq.newestKept} kept)`,
  );
}
