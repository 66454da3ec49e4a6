import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  FAULT_CUSTOMER_IDS,
  seedCustomers,
  seedValidationCodes,
  type FaultName,
  type StoredCustomer,
} from './data.js';
import { handleCreateQualification } from './writes.js';

export interface SimulatorOptions {
  readonly port?: number;
  readonly host?: string;
  /** Added before every answer, to model Partner Center's own latency. */
  readonly latencyMs?: number;
  /** How many generated customers (`c0000000-…`) exist besides the samples. */
  readonly generatedCustomers?: number;
  /** How many recent requests `requests` keeps (for tests that inspect headers). */
  readonly keepRequests?: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body?: string;
}

export interface Simulator {
  readonly url: URL;
  /** Upstream calls answered since start or the last `reset()`, per route kind. */
  readonly stats: SimulatorStats;
  /** The most recent requests, oldest first. */
  readonly requests: readonly RecordedRequest[];
  /** Makes one customer id misbehave (`undefined` clears it). */
  setFault(customerId: string, fault: FaultName | undefined): void;
  reset(): void;
  close(): Promise<void>;
}

export interface SimulatorStats {
  reads: number;
  writes: number;
  validations: number;
  /** Requests being answered now, and the most at any one time (the gateway's bound shows here). */
  inFlight: number;
  maxInFlight: number;
}

export interface SimulatorState {
  customers: Map<string, StoredCustomer>;
  validationCodes: ReturnType<typeof seedValidationCodes>;
}

const QUALIFICATIONS_PATH = /^\/v1\/customers\/([^/]+)\/qualifications\/?$/;
const MAX_BODY = 64 * 1024;

/** A Partner Center stand-in on loopback: the endpoints this gateway uses, with fault knobs. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const latencyMs = options.latencyMs ?? 0;
  const keep = options.keepRequests ?? 200;
  const generated = options.generatedCustomers ?? 1000;
  const stats: SimulatorStats = {
    reads: 0,
    writes: 0,
    validations: 0,
    inFlight: 0,
    maxInFlight: 0,
  };
  const requests: RecordedRequest[] = [];
  const faults = new Map<string, FaultName>(
    Object.entries(FAULT_CUSTOMER_IDS).map(([name, id]) => [id, name as FaultName]),
  );
  const state: SimulatorState = {
    customers: seedCustomers(generated),
    validationCodes: seedValidationCodes(),
  };

  const server = createServer((req, res) => {
    if (req.url !== '/_simulator/stats') {
      stats.inFlight += 1;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      res.once('close', () => {
        stats.inFlight -= 1;
      });
    }
    answer(req)
      .then((reply) => {
        if (reply !== undefined) send(res, reply);
      })
      .catch(() => {
        if (res.headersSent) res.destroy();
        else send(res, json(500, { code: '500', description: 'Simulator failure.' }));
      });
  });
  server.keepAliveTimeout = 60_000;

  /** Works out the reply; `undefined` means never answer (the `hang` fault). */
  async function answer(req: IncomingMessage): Promise<Reply | undefined> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const method = req.method ?? 'GET';
    const body = method === 'POST' ? await readBody(req) : undefined;
    if (url.pathname === '/_simulator/stats') return json(200, stats);
    if (requests.length >= keep) requests.shift();
    requests.push({
      method,
      path: url.pathname + url.search,
      headers: req.headers,
      ...(body === undefined ? {} : { body }),
    });
    const echo = {
      'ms-correlationid': header(req, 'ms-correlationid') ?? randomUUID(),
      'ms-requestid': header(req, 'ms-requestid') ?? randomUUID(),
    };
    if (latencyMs > 0) await delay(latencyMs);
    const reply = route(url.pathname, method, header(req, 'authorization'), body);
    return reply === undefined ? undefined : { ...reply, headers: { ...echo, ...reply.headers } };
  }

  function route(
    path: string,
    method: string,
    authorization: string | undefined,
    body: string | undefined,
  ): Reply | undefined {
    if (authorization === undefined || !/^Bearer\s+\S+/i.test(authorization)) {
      return json(
        401,
        { code: 800001, description: 'Partner token is missing.', source: 'PartnerFD' },
        { 'www-authenticate': 'Bearer' },
      );
    }
    if (path === '/v1/customers/all/validations' && method === 'GET') {
      stats.validations += 1;
      return json(200, state.validationCodes);
    }
    const match = QUALIFICATIONS_PATH.exec(path);
    if (match === null) return json(404, { code: 1000, description: 'Resource not found.' });
    const customerId = decodeURIComponent(match[1] ?? '').toLowerCase();

    if (method === 'GET') {
      stats.reads += 1;
      const fault = faults.get(customerId);
      if (fault !== undefined) return faultReply(fault);
      const customer = state.customers.get(customerId);
      if (customer === undefined) {
        return json(404, { code: 60003, description: 'Tenant not found.', source: 'PartnerFD' });
      }
      return json(
        200,
        customer.wrapped ? { qualifications: customer.qualifications } : customer.qualifications,
      );
    }
    if (method === 'POST') {
      stats.writes += 1;
      const created = handleCreateQualification(state, customerId, authorization, body ?? '');
      return json(created.status, created.body);
    }
    return json(405, { code: 405, description: 'Method not allowed.' }, { allow: 'GET, POST' });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: new URL(`http://${host}:${address.port}`),
    stats,
    requests,
    setFault(customerId, fault) {
      if (fault === undefined) faults.delete(customerId.toLowerCase());
      else faults.set(customerId.toLowerCase(), fault);
    },
    reset() {
      stats.reads = 0;
      stats.writes = 0;
      stats.validations = 0;
      stats.maxInFlight = stats.inFlight;
      requests.length = 0;
      state.customers = seedCustomers(generated);
      state.validationCodes = seedValidationCodes();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hung answers (the `hang` fault) would otherwise hold close() open forever.
        server.closeAllConnections();
      }),
  };
}

interface Reply {
  readonly status: number;
  readonly text: string;
  readonly headers?: Readonly<Record<string, string>>;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, text: JSON.stringify(body), headers };
}

function faultReply(fault: FaultName): Reply | undefined {
  switch (fault) {
    case 'unauthorized':
      return json(
        401,
        { code: 800002, description: 'The access token has expired.' },
        { 'www-authenticate': 'Bearer error="invalid_token"' },
      );
    case 'forbidden':
      return json(403, {
        code: 20002,
        description: 'No relationship between caller and account.',
        data: [],
        source: 'PartnerFD',
      });
    case 'notFound':
      return json(404, { code: '60003', description: 'Tenant not found.' });
    case 'throttled':
      return json(
        429,
        { statusCode: 429, message: 'Rate limit is exceeded. Try again in 1 seconds.' },
        { 'retry-after': '1' },
      );
    case 'serverError':
      return json(500, 'An unexpected error has occurred.');
    case 'unavailable':
      return json(503, { message: 'Service Unavailable' }, { 'retry-after': '2' });
    case 'hang':
      return undefined;
    case 'malformedJson':
      return { status: 200, text: '[{"qualification": "Education", "vettingStatus": ' };
    case 'wrongShape':
      return json(200, { value: 'Education' });
    case 'badDate':
      return json(200, [
        { qualification: 'Education', vettingStatus: 'InReview', vettingCreateDate: 'yesterday' },
      ]);
  }
}

function send(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, {
    ...reply.headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(reply.text),
  });
  res.end(reply.text);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
