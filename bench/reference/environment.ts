/**
 * What a reference server is given by the benchmark, the same variables as the gateway. (The
 * gateway's own rule of one environment reader is about src/; these are measuring instruments.)
 */
export const PORT = Number(process.env['PORT'] ?? 0);
export const HOST = process.env['HOST'] ?? '127.0.0.1';
export const UPSTREAM = process.env['PARTNER_CENTER_BASE_URL'] ?? 'http://127.0.0.1:3000';
export const CONNECTIONS = Number(process.env['UPSTREAM_MAX_CONCURRENCY'] ?? 16);
