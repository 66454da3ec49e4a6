import { setImmediate as turn } from 'node:timers/promises';
import { afterEach, expect, it } from 'vitest';
import { Flights } from '../../src/cache/flights.js';

const warnings: Error[] = [];
const record = (warning: Error) => warnings.push(warning);
afterEach(() => {
  process.off('warning', record);
  warnings.length = 0;
});

it('waits for many customers on one operation signal with one abort listener on it', async () => {
  process.on('warning', record);
  const flights = new Flights();
  const operation = new AbortController();
  let finish = (): void => undefined;
  const done = new Promise<string>((resolve) => {
    finish = () => resolve('answer');
  });

  const waits = Array.from({ length: 40 }, (_, n) =>
    flights.join(
      `customer-${String(n)}`,
      `group-${String(n)}`,
      { signal: operation.signal },
      () => done,
    ),
  );
  finish();

  expect(await Promise.all(waits)).toEqual(Array.from({ length: 40 }, () => 'answer'));
  await turn();
  expect(warnings.map((warning) => warning.name)).toEqual([]);
});

it('still lets every wait of an operation go when its signal aborts, and aborts the runs', async () => {
  const flights = new Flights();
  const operation = new AbortController();
  const runs: AbortSignal[] = [];
  const waits = Array.from({ length: 20 }, (_, n) =>
    flights
      .join(
        `customer-${String(n)}`,
        `group-${String(n)}`,
        { signal: operation.signal },
        (flight) => {
          runs.push(flight.signal);
          return new Promise<string>(() => undefined);
        },
      )
      .catch((error: unknown) => (error as Error).name),
  );
  await turn();

  operation.abort(new Error('client closed the connection'));

  expect(new Set(await Promise.all(waits)).size).toBe(1);
  expect(runs.map((signal) => signal.aborted)).toEqual(Array.from({ length: 20 }, () => true));
  expect(flights.size).toBe(0);
});
