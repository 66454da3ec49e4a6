import WebSocket from 'ws';
import type { Service } from './services.js';

/**
 * A gateway's memory after a full garbage collection, through the V8 inspector (the gateway runs
 * with `--inspect=127.0.0.1:0`): RSS right after start-up or load holds garbage and a young
 * generation grown to `--max-semi-space-size`, so "RSS with subscriptions minus without" alone
 * says as much about when V8 last collected as about what the subscriptions keep.
 */

export const INSPECT_FLAG = '--inspect=127.0.0.1:0';

export interface CollectedMemory {
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  readonly externalBytes: number;
}

export async function memoryAfterGc(gateway: Service): Promise<CollectedMemory> {
  const url = /Debugger listening on (ws:\/\/\S+)/.exec(gateway.process.output())?.[1];
  if (url === undefined) throw new Error(`${gateway.process.name} has no inspector address`);
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let next = 0;
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const id = (next += 1);
      const onMessage = (data: Buffer) => {
        const message = JSON.parse(data.toString('utf8')) as {
          id?: number;
          result?: unknown;
          error?: { message?: string };
        };
        if (message.id !== id) return;
        socket.off('message', onMessage);
        if (message.error === undefined) resolve(message.result);
        else reject(new Error(`${method}: ${message.error.message ?? 'failed'}`));
      };
      socket.on('message', onMessage);
      socket.send(JSON.stringify({ id, method, params }));
    });
  try {
    await call('HeapProfiler.collectGarbage');
    const result = (await call('Runtime.evaluate', {
      expression: 'JSON.stringify(process.memoryUsage())',
      returnByValue: true,
    })) as { result?: { value?: unknown } };
    const usage = JSON.parse(String(result.result?.value)) as {
      rss: number;
      heapUsed: number;
      external: number;
    };
    return { rssBytes: usage.rss, heapUsedBytes: usage.heapUsed, externalBytes: usage.external };
  } finally {
    socket.close();
  }
}
