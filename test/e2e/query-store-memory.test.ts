import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { Pool } from 'undici';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../../bench/services.js';
import { SAMPLE_CUSTOMER_IDS } from '../../src/simulator/data.js';

/**
 * Distinct documents need no token, and each valid one is parsed, validated and kept; so is
 * each persisted query registered. Under a heap smaller than a small container's, a flood of
 * them must neither kill the process nor crowd out the next caller. With Apollo's default
 * document store, bounded by the JSON length of a document (a quarter of the heap one of the
 * wide documents below holds), this heap is gone after about 160 of them.
 */
const OLD_SPACE_MIB = 96;
const WIDE_DOCUMENTS = 300;
const APQ_REGISTRATIONS = 300;
const TINY_DOCUMENTS = 1_000;
const CONCURRENCY = 8;

let child: ChildProcess;
let pool: Pool;
let output = '';
const alive = () => child.exitCode === null && child.signalCode === null;
beforeAll(async () => {
  const port = await freePort();
  const inherited = { ...process.env };
  // Without it main.ts starts the built-in simulator, which this test wants.
  delete inherited['PARTNER_CENTER_BASE_URL'];
  child = spawn(
    process.execPath,
    [
      // Not GATEWAY_NODE_FLAGS: a 64 MiB young generation beside this small an old one makes
      // every collection a full one, and the flood ten times slower.
      `--max-old-space-size=${OLD_SPACE_MIB}`,
      '--import',
      'tsx',
      'src/main.ts',
    ],
    {
      env: {
        ...inherited,
        NODE_ENV: 'production',
        // At info every operation is a log line: thousands of them would be most of the work.
        LOG_LEVEL: 'warn',
        HOST: '127.0.0.1',
        PORT: String(port),
        // The read cache is bounded elsewhere; here only the query stores grow.
        CACHE_ENABLED: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  pool = new Pool(`http://127.0.0.1:${port}`, { connections: CONCURRENCY });
  for (const deadline = Date.now() + 30_000; ;) {
    if (!alive()) throw new Error(`gateway exited while starting:\n${output}`);
    try {
      const ready = await pool.request({ path: '/readyz', method: 'GET' });
      await ready.body.dump();
      if (ready.statusCode === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`gateway did not become ready:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 60_000);
afterAll(async () => {
  await pool.close();
  if (alive()) child.kill('SIGKILL');
});

async function post(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await pool.request({
    path: '/graphql',
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.statusCode, body: await response.body.json() };
}

/** Sends `count` requests, `CONCURRENCY` at a time, each over a kept-alive connection. */
async function flood(count: number, body: (n: number) => Record<string, unknown>) {
  let next = 0;
  let answered = 0;
  async function sender() {
    while (next < count && alive()) {
      const n = next++;
      const { status, body: answer } = await post(body(n));
      // Valid documents, so answered by execution: data, or the resolver's BAD_USER_INPUT.
      if (status === 200 && /^\{"(data|errors)":/.test(JSON.stringify(answer))) answered++;
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, sender)).catch(() => undefined);
  return answered;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** 1,500 tokens: 370 KB of heap once parsed, but 96 KB of JSON. */
const wide = (n: number) => `{ w${n}: customers(ids: [${'1 '.repeat(1_500)}]) { id } }`;
/** 40 KB of heap as a string (two bytes a character): the APQ store holds about 200. */
const commented = (n: number) => `# ${'ü€'.repeat(10_000)}\n{ p${n}: __typename }`;
const persisted = (query: string) => ({
  persistedQuery: { version: 1, sha256Hash: sha256(query) },
});

it(`survives a flood of distinct documents and persisted queries in ${OLD_SPACE_MIB} MiB of old space, then answers`, async () => {
  const wideAnswered = await flood(WIDE_DOCUMENTS, (n) => ({ query: wide(n) }));
  const apqAnswered = await flood(APQ_REGISTRATIONS, (n) => ({
    query: commented(n),
    extensions: persisted(commented(n)),
  }));
  const tinyAnswered = await flood(TINY_DOCUMENTS, (n) => ({ query: `{ a${n}: __typename }` }));

  expect({ exitCode: child.exitCode, signal: child.signalCode }, output).toEqual({
    exitCode: null,
    signal: null,
  });
  expect([wideAnswered, apqAnswered, tinyAnswered]).toEqual([
    WIDE_DOCUMENTS,
    APQ_REGISTRATIONS,
    TINY_DOCUMENTS,
  ]);
  const id = SAMPLE_CUSTOMER_IDS.educationApproved;
  expect(
    await post(
      { query: /* GraphQL */ `{ customer(id: "${id}") { id } }` },
      { authorization: 'Bearer t' },
    ),
  ).toEqual({ status: 200, body: { data: { customer: { id } } } });
  // The newest registration is still known by its hash alone; the oldest is forgotten.
  const [oldest, newest] = [0, APQ_REGISTRATIONS - 1];
  expect(await post({ extensions: persisted(commented(newest)) })).toEqual({
    status: 200,
    body: { data: { [`p${newest}`]: 'Query' } },
  });
  expect(await post({ extensions: persisted(commented(oldest)) })).toEqual({
    status: 200,
    body: {
      errors: [
        {
          message: 'PersistedQueryNotFound',
          extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
        },
      ],
    },
  });
}, 120_000);
