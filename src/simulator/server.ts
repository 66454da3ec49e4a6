import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  FAULT_CUSTOMER_IDS,
  isFaultName,
  ONE_SHOT_FAULTS,
  seedCustomers,
  seedValidationCodes,
  type FaultName,
  type StoredCustomer,
} from './data.js';
import { AuditLog } from './audit.js';
import { customerResource, listCustomers } from './customers.js';
import { faultReply, json, type Reply } from './faults.js';
import { seedProfiles, type StoredProfile } from './profiles.js';
import { DEFAULT_VETTING_SECONDS, Vetting } from './vetting.js';
import { handleCreateQualification } from './writes.js';

export interface SimulatorOptions {
  readonly port?: number;
  readonly host?: string;
  /** Added before every answer, to model Partner Center's own latency. */
  readonly latencyMs?: number;
  /** How long the `slowBody` fault pauses in the middle of its body. */
  readonly slowBodyMs?: number;
  /** How many generated customers (`c0000000-…`) exist besides the samples. */
  readonly generatedCustomers?: number;
  /** How many recent requests `requests` keeps (for tests that inspect headers). */
  readonly keepRequests?: number;
  /** `SIMULATOR_VETTING_SECONDS`: how long a review lasts before it is decided; 0: never. */
  readonly vettingSeconds?: number;
  /** The clock of vetting decisions and audit records (tests move it instead of waiting). */
  readonly now?: () => number;
  /** Audit records per `GET /v1/auditrecords` page (Partner Center's own page size is larger). */
  readonly auditPageSize?: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body?: string;
  /** When it arrived, on `performance.now()`'s clock: tests measure the gaps between reads. */
  readonly at: number;
}

export interface SimulatorStats {
  reads: number;
  writes: number;
  validations: number;
  /** Requests being answered now, and the most at any one time (the gateway's bound shows here). */
  inFlight: number;
  maxInFlight: number;
  /** Partner Center calls answered, by method and route template (`GET /v1/customers/{id}`). */
  routes: Record<string, number>;
}

/** `'*'` stands for every customer. */
export type FaultTarget = string;

export interface Simulator {
  readonly url: URL;
  /** Upstream calls answered since start or the last `reset()`. */
  readonly stats: SimulatorStats;
  /** The most recent requests, oldest first. */
  readonly requests: readonly RecordedRequest[];
  /**
   * Makes one customer (or `'*'`, every customer) misbehave for the next `times` reads
   * (default: once for the `…Once` faults, otherwise until cleared). `undefined` clears it.
   */
  setFault(target: FaultTarget, fault: FaultName | undefined, times?: number): void;
  /**
   * Changes the latency of every later answer: a slow Partner Center, so the gateway can be
   * pushed past its capacity (the overload scenario) without a restart.
   */
  setLatency(ms: number): void;
  /** Back to the seed: customers, faults, counters, recorded requests and audit records. */
  reset(): void;
  /** The audit records (tests add odd ones to `records` directly). */
  readonly audit: AuditLog;
  close(): Promise<void>;
}

export interface SimulatorState {
  customers: Map<string, StoredCustomer>;
  /** The listed customers' profiles, in list order. */
  profiles: StoredProfile[];
  profilesById: Map<string, StoredProfile>;
  validationCodes: ReturnType<typeof seedValidationCodes>;
  /** Answers of writes by `MS-RequestId`: Partner Center's idempotency. */
  writes: Map<string, { status: number; body: unknown }>;
  readonly now: () => number;
  readonly vetting: Vetting;
  /** What the partner changed, as `GET /v1/auditrecords` lists it. */
  readonly audit: AuditLog;
}

interface ActiveFault {
  readonly fault: FaultName;
  remaining: number;
}

const QUALIFICATIONS_PATH = /^\/v1\/customers\/([^/]+)\/qualifications\/?$/;
const CUSTOMER_PATH = /^\/v1\/customers\/([^/]+)\/?$/;
const MAX_BODY = 64 * 1024;
/** A fault for this target strikes `GET /v1/auditrecords` (never struck by `'*'`). */
export const AUDIT_FAULT_TARGET = 'auditrecords';
const ADMIN_QUALIFICATIONS_PATH = /^\/_simulator\/customers\/([^/]+)\/qualifications$/;
const ADMIN_COMPANY_NAME_PATH = /^\/_simulator\/customers\/([^/]+)\/company-name$/;
/** Who changes things "elsewhere": the partner's own admin in the dashboard. */
const DASHBOARD_USER = 'admin@partner.example (dashboard)';
/**
 * A token of another partner (`Bearer other-partner…`): Partner Center knows none of this
 * partner's customers for it, so two callers get different answers for the same customer.
 */
const OTHER_PARTNER = /^Bearer\s+other-partner/i;

/**
 * A Partner Center stand-in on loopback: the endpoints this gateway uses, Partner Center-shaped
 * errors, latency, faults per customer or for all, and another partner's view for tokens that
 * start with `other-partner`. `GET /_simulator/stats`,
 * `POST /_simulator/faults` (`{"customerId": "…" | "*", "fault": "…", "times": n}`) and
 * `POST /_simulator/latency` (`{"ms": n}`) and `POST /_simulator/reset` let another process (the benchmark, a tester) watch and steer it;
 * `POST /_simulator/customers/{id}/qualifications` and `…/company-name` change a customer "from
 * elsewhere" (see `changeElsewhere`), with an audit record as Partner Center would log it.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  let latencyMs = options.latencyMs ?? 0;
  const slowBodyMs = options.slowBodyMs ?? 3000;
  const keep = options.keepRequests ?? 200;
  const generated = options.generatedCustomers ?? 1000;
  const stats: SimulatorStats = {
    reads: 0,
    writes: 0,
    validations: 0,
    inFlight: 0,
    maxInFlight: 0,
    routes: {},
  };
  const requests: RecordedRequest[] = [];
  const now = options.now ?? Date.now;
  const state: SimulatorState = {
    customers: new Map(),
    profiles: [],
    profilesById: new Map(),
    validationCodes: [],
    writes: new Map(),
    now,
    vetting: new Vetting({ seconds: options.vettingSeconds ?? DEFAULT_VETTING_SECONDS, now }),
    audit: new AuditLog(now, options.auditPageSize),
  };
  const countRoute = (route: string) => {
    stats.routes[route] = (stats.routes[route] ?? 0) + 1;
  };
  const faults = new Map<string, ActiveFault>();

  function seed(): void {
    state.customers = seedCustomers(generated);
    state.profiles = seedProfiles(generated);
    state.profilesById = new Map(state.profiles.map((profile) => [profile.id, profile]));
    state.validationCodes = seedValidationCodes();
    state.writes = new Map();
    state.vetting.seeded();
    state.audit.clear();
    faults.clear();
    for (const [fault, id] of Object.entries(FAULT_CUSTOMER_IDS) as [FaultName, string][]) {
      faults.set(id, { fault, remaining: ONE_SHOT_FAULTS.has(fault) ? 1 : Infinity });
    }
  }
  seed();

  function setFault(target: FaultTarget, fault: FaultName | undefined, times?: number): void {
    const key = target === '*' ? '*' : target.toLowerCase();
    if (fault === undefined) faults.delete(key);
    else
      faults.set(key, { fault, remaining: times ?? (ONE_SHOT_FAULTS.has(fault) ? 1 : Infinity) });
  }

  /** The fault this read suffers, if any, counting it down. */
  function takeFault(customerId: string): FaultName | undefined {
    const key = faults.has(customerId)
      ? customerId
      : faults.has('*') && customerId !== AUDIT_FAULT_TARGET
        ? '*'
        : undefined;
    const active = key === undefined ? undefined : faults.get(key);
    if (key === undefined || active === undefined) return undefined;
    active.remaining -= 1;
    if (active.remaining <= 0) faults.delete(key);
    return active.fault;
  }

  const server = createServer((req, res) => {
    const counted = !req.url?.startsWith('/_simulator/');
    if (counted) {
      stats.inFlight += 1;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      res.once('close', () => {
        stats.inFlight -= 1;
      });
    }
    answer(req)
      .then((reply) => send(req, res, reply))
      .catch(() => {
        send(req, res, json(500, { code: '500', description: 'Simulator failure.' }));
      });
  });
  server.keepAliveTimeout = 60_000;

  async function answer(req: IncomingMessage): Promise<Reply> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const method = req.method ?? 'GET';
    const body = method === 'POST' ? await readBody(req) : undefined;
    if (url.pathname.startsWith('/_simulator/')) return control(url.pathname, method, body);
    if (requests.length >= keep) requests.shift();
    requests.push({
      method,
      path: url.pathname + url.search,
      headers: req.headers,
      ...(body === undefined ? {} : { body }),
      at: performance.now(),
    });
    if (latencyMs > 0) await delay(latencyMs);
    const authorization = header(req, 'authorization');
    if (method === 'GET' && authorized(authorization)) {
      if (url.pathname === '/v1/customers') {
        countRoute('GET /v1/customers');
        return listCustomers(state.profiles, url.searchParams, header(req, 'ms-continuationtoken'));
      }
      if (url.pathname === '/v1/auditrecords') {
        countRoute('GET /v1/auditrecords');
        const fault = takeFault(AUDIT_FAULT_TARGET);
        if (fault !== undefined) return faultReply(fault, slowBodyMs);
        return state.audit.list(url.searchParams, header(req, 'ms-continuationtoken'));
      }
      const customer = CUSTOMER_PATH.exec(url.pathname);
      if (customer !== null && customer[1] !== 'all') {
        countRoute('GET /v1/customers/{id}');
        return readCustomer(decodeURIComponent(customer[1] ?? '').toLowerCase());
      }
    }
    return route(url.pathname, method, authorization, body, header(req, 'ms-requestid'));
  }

  /** `GET /v1/customers/{id}`: faults strike it as they strike the qualifications read. */
  function readCustomer(customerId: string): Reply {
    const fault = takeFault(customerId);
    if (fault !== undefined) return faultReply(fault, slowBodyMs);
    const profile = state.profilesById.get(customerId);
    if (profile !== undefined) return json(200, customerResource(profile));
    if (state.customers.has(customerId)) {
      return json(200, { id: customerId, companyProfile: { tenantId: customerId } });
    }
    return json(404, { code: 60003, description: 'Tenant not found.', source: 'PartnerFD' });
  }

  function control(path: string, method: string, body: string | undefined): Reply {
    if (path === '/_simulator/stats' && method === 'GET') return json(200, stats);
    if (path === '/_simulator/reset' && method === 'POST') {
      reset();
      return json(200, stats);
    }
    if (path === '/_simulator/faults' && method === 'POST') {
      const request = parseObject(body);
      const target = request?.['customerId'];
      const fault = request?.['fault'];
      const times = request?.['times'];
      if (typeof target !== 'string' || (fault !== null && !isFaultName(fault))) {
        return json(400, {
          description: 'Send {"customerId": id or "*", "fault": name or null, "times"?: n}.',
        });
      }
      setFault(
        target,
        fault ?? undefined,
        typeof times === 'number' && times > 0 ? times : Infinity,
      );
      return json(200, { customerId: target, fault });
    }
    if (path === '/_simulator/latency' && method === 'POST') {
      const ms = parseObject(body)?.['ms'];
      if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0 || ms > 600_000) {
        return json(400, { description: 'Send {"ms": whole milliseconds, 0 to 600000}.' });
      }
      latencyMs = ms;
      return json(200, { ms });
    }
    if (method === 'POST') {
      const elsewhere = changeElsewhere(path, body);
      if (elsewhere !== undefined) return elsewhere;
    }
    return json(404, { description: 'Unknown simulator control.' });
  }

  /**
   * A change made outside the gateway (the dashboard, another tool): the answer changes and an
   * audit record says so, as it would in Partner Center. `POST
   * /_simulator/customers/{id}/qualifications` takes a create's body; `POST
   * /_simulator/customers/{id}/company-name` takes `{"companyName": "…"}`.
   */
  function changeElsewhere(path: string, body: string | undefined): Reply | undefined {
    const qualification = ADMIN_QUALIFICATIONS_PATH.exec(path);
    if (qualification !== null) {
      const customerId = decodeURIComponent(qualification[1] ?? '').toLowerCase();
      const created = handleCreateQualification(
        state,
        customerId,
        'Bearer dashboard',
        body ?? '',
        undefined,
        DASHBOARD_USER,
      );
      return json(created.status, created.body);
    }
    const renamed = ADMIN_COMPANY_NAME_PATH.exec(path);
    if (renamed === null) return undefined;
    const customerId = decodeURIComponent(renamed[1] ?? '').toLowerCase();
    const companyName = parseObject(body)?.['companyName'];
    const profile = state.profilesById.get(customerId);
    if (typeof companyName !== 'string' || companyName.trim() === '') {
      return json(400, { description: 'Send {"companyName": "…"}.' });
    }
    if (profile === undefined) return json(404, { description: 'No such listed customer.' });
    const changed = { ...profile, companyName: companyName.trim() };
    state.profilesById.set(customerId, changed);
    state.profiles[state.profiles.indexOf(profile)] = changed;
    state.audit.add({
      customerId,
      customerName: changed.companyName,
      resourceType: 'customer',
      operationType: 'update_customer_partner_contract_company_name',
      newValue: { companyName: changed.companyName },
      by: DASHBOARD_USER,
    });
    return json(200, customerResource(changed));
  }

  function route(
    path: string,
    method: string,
    authorization: string | undefined,
    body: string | undefined,
    requestId: string | undefined,
  ): Reply {
    if (!authorized(authorization)) {
      return json(
        401,
        { code: 800001, description: 'Partner token is missing.', source: 'PartnerFD' },
        { 'www-authenticate': 'Bearer' },
      );
    }
    if (path === '/v1/customers/all/validations' && method === 'GET') {
      stats.validations += 1;
      countRoute('GET /v1/customers/all/validations');
      return json(200, state.validationCodes);
    }
    const match = QUALIFICATIONS_PATH.exec(path);
    if (match === null) return json(404, { code: 1000, description: 'Resource not found.' });
    const customerId = decodeURIComponent(match[1] ?? '').toLowerCase();

    if (method === 'GET') {
      stats.reads += 1;
      countRoute('GET /v1/customers/{id}/qualifications');
      const fault = takeFault(customerId);
      if (fault !== undefined) return faultReply(fault, slowBodyMs);
      const customer = OTHER_PARTNER.test(authorization)
        ? undefined
        : state.customers.get(customerId);
      if (customer === undefined) {
        return json(404, { code: 60003, description: 'Tenant not found.', source: 'PartnerFD' });
      }
      state.vetting.decide(customerId, customer);
      return json(
        200,
        customer.wrapped ? { qualifications: customer.qualifications } : customer.qualifications,
      );
    }
    if (method === 'POST') {
      stats.writes += 1;
      countRoute('POST /v1/customers/{id}/qualifications');
      const created = handleCreateQualification(
        state,
        customerId,
        authorization,
        body ?? '',
        requestId,
      );
      return json(created.status, created.body);
    }
    return json(405, { code: 405, description: 'Method not allowed.' }, { allow: 'GET, POST' });
  }

  function reset(): void {
    stats.reads = 0;
    stats.writes = 0;
    stats.validations = 0;
    stats.routes = {};
    stats.maxInFlight = stats.inFlight;
    requests.length = 0;
    seed();
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
    setFault,
    setLatency: (ms) => {
      latencyMs = ms;
    },
    reset,
    audit: state.audit,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hung and trickling answers would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}

function send(req: IncomingMessage, res: ServerResponse, reply: Reply): void {
  if (reply.kind === 'hang') return;
  if (reply.kind === 'reset') {
    req.socket.destroy();
    return;
  }
  res.writeHead(reply.status, {
    ...reply.headers,
    'ms-correlationid': header(req, 'ms-correlationid') ?? randomUUID(),
    'ms-requestid': header(req, 'ms-requestid') ?? randomUUID(),
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(reply.text),
  });
  if (reply.trickleMs === undefined) {
    res.end(reply.text);
    return;
  }
  const half = Math.floor(reply.text.length / 2);
  res.write(reply.text.slice(0, half));
  const timer = setTimeout(() => res.end(reply.text.slice(half)), reply.trickleMs);
  res.once('close', () => clearTimeout(timer));
}

function authorized(authorization: string | undefined): authorization is string {
  return authorization !== undefined && /^Bearer\s+\S+/i.test(authorization);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseObject(text: string | undefined): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text ?? '');
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
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
