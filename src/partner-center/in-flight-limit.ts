/**
 * At most `max` upstream calls in flight; the rest wait in arrival order. A slot freed goes
 * straight to the next waiter in the same tick. (Leaving the bound to the undici pool's own queue
 * costs each queued call two event-loop turns: the freed connection is handed on only after a
 * `setImmediate`, and undici then checks the idle socket for one more before writing.)
 */
export interface InFlightLimit {
  /** Waits for a slot (giving up when `signal` aborts); call the returned function to free it. */
  acquire(signal: AbortSignal): Promise<() => void>;
}

export const NO_LIMIT: InFlightLimit = {
  acquire: () => Promise.resolve(() => undefined),
};

export function createInFlightLimit(max: number): InFlightLimit {
  let active = 0;
  const waiting = new Set<() => void>();

  function release(): void {
    const next = waiting.values().next();
    if (next.done === true) {
      active -= 1;
      return;
    }
    waiting.delete(next.value);
    next.value();
  }

  return {
    acquire(signal) {
      if (signal.aborted) return Promise.reject(signal.reason as Error);
      if (active < max) {
        active += 1;
        return Promise.resolve(once(release));
      }
      return new Promise((resolve, reject) => {
        const onAbort = () => {
          waiting.delete(grant);
          reject(signal.reason as Error);
        };
        // The slot passes to this waiter without `active` changing.
        const grant = () => {
          signal.removeEventListener('abort', onAbort);
          resolve(once(release));
        };
        waiting.add(grant);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}

function once(release: () => void): () => void {
  let released = false;
  return () => {
    if (released) return;
    released = true;
    release();
  };
}
