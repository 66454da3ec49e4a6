import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { LRUCache } from 'lru-cache';
import type { DocumentNode, Token } from 'graphql';

/**
 * The two stores that keep query text across requests: Apollo's parsed-document store and the
 * automatic persisted query (APQ) store. Both are filled by anyone who can send a distinct
 * query, without a token, so both are bounded by the heap their entries really hold.
 *
 * Apollo's defaults bound them by an estimate that misses most of it: the document store by the
 * JSON length of the document (a parsed document keeps every token of its source, a Location on
 * every node and empty arrays, 3–5× its JSON), the APQ store by value characters (not the key,
 * not UTF-16, not the entry). The constants below are upper bounds measured with
 * `scripts/measure-query-stores.ts` (Node 20, graphql 16; the numbers are in docs/resilience.md and
 * docs/frontends-and-apollo-client.md).
 */

/**
 * Retained heap the document store may hold. Routers and frontends send a few hundred distinct
 * operations at most; this keeps about 140 documents of 200 fields or 3,200 tiny ones, and a
 * miss costs only a parse and a validation.
 */
export const DOCUMENT_STORE_BYTES = 16 * 1024 * 1024;

/**
 * Per document besides its tokens and strings: the store's entry, the Document and Source
 * objects. Measured: `{ a1: __typename }` (7 tokens) holds 2.5 KiB in all, which the token term
 * alone covers; this is the margin for what does not grow with the tokens.
 */
const DOCUMENT_ENTRY_BYTES = 1024;

/**
 * Per token: the Token (all of them stay linked from the document's Location) and the AST
 * nodes, Locations and arrays made from it. Measured 485 B for a selection of bare fields, the
 * densest shape found; 130–420 B for arguments, lists, directives, variables and fragments.
 */
const DOCUMENT_TOKEN_BYTES = 544;

/**
 * Per APQ entry besides its two strings: the store's entry and the string headers. Measured
 * about 210 B for an entry whose text is not Latin-1 (two bytes a character, as counted).
 */
const APQ_ENTRY_BYTES = 256;

/** An upper bound of the heap one stored document holds, source text included. */
export function documentBytes(document: DocumentNode, key: string): number {
  const location = document.loc;
  // Apollo parses with locations, so this is the path taken; a document without them holds
  // no tokens, and its JSON (Apollo's own measure) is near what it holds.
  if (location === undefined) {
    return DOCUMENT_ENTRY_BYTES + 2 * (key.length + JSON.stringify(document).length);
  }
  let tokens = 0;
  for (let token: Token | null = location.startToken; token !== null; token = token.next) tokens++;
  // A string is one byte a character until it has one outside Latin-1; count two.
  return (
    DOCUMENT_ENTRY_BYTES +
    DOCUMENT_TOKEN_BYTES * tokens +
    2 * (key.length + location.source.body.length)
  );
}

/** An upper bound of the heap one APQ entry holds: its key (`apq:` and the hash) and text. */
export function apqEntryBytes(query: string, key: string): number {
  return APQ_ENTRY_BYTES + 2 * (key.length + query.length);
}

/** Apollo's `documentStore`: least recently used documents go first. */
export function createDocumentStore(): InMemoryLRUCache<DocumentNode> {
  return new InMemoryLRUCache<DocumentNode>({
    maxSize: DOCUMENT_STORE_BYTES,
    sizeCalculation: documentBytes,
  });
}

/**
 * The subscription transports' documents by query text, bounded as Apollo's store is. Apollo's
 * store is async and keyed by its own hash; a subscription is prepared synchronously.
 */
export function createDocumentCache(): LRUCache<string, DocumentNode> {
  return new LRUCache<string, DocumentNode>({
    maxSize: DOCUMENT_STORE_BYTES,
    sizeCalculation: documentBytes,
  });
}

/** Apollo's `persistedQueries.cache`, holding at most `bytes` of heap (`APQ_CACHE_BYTES`). */
export function createApqStore(bytes: number): InMemoryLRUCache {
  return new InMemoryLRUCache({ maxSize: bytes, sizeCalculation: apqEntryBytes });
}
