import { afterAll, afterEach } from 'vitest';
import { describeWarnings, isAllowed, type SeenWarning } from '../helpers/process-warnings.js';

/**
 * Turns a process warning into the failure of the test during which it came (or of the file,
 * when it came after its last test). Unhandled rejections and uncaught errors need nothing here:
 * vitest reports them and fails the run on its own.
 */
const seen: SeenWarning[] = [];

process.on('warning', (warning) => {
  const entry = { name: warning.name, message: warning.message, stack: warning.stack };
  if (!isAllowed(entry)) seen.push(entry);
});

// Taken before any test fakes timers: the wait below must not depend on a fake clock.
const nextTick = process.nextTick.bind(process);

async function failOnWarnings(when: string): Promise<void> {
  // Node emits 'warning' on the next tick after the code that raised it. Only a tick: a turn of
  // the event loop here would let sockets and timers move between tests, changing their timing.
  await new Promise((resolve) => nextTick(resolve));
  if (seen.length === 0) return;
  const warnings = seen.splice(0);
  throw new Error(`${warnings.length} process warning(s) ${when}:\n${describeWarnings(warnings)}`);
}

afterEach(() => failOnWarnings('during this test'));

afterAll(() => failOnWarnings('after the last test of this file'));
