/** What to do for each wait under a signal, so that one listener on it serves them all. */
const handlersOf = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Runs `handler` once when `signal` aborts; the returned function stops that (call it when the
 * wait ends another way). Each wait passes its own function. One operation's signal is shared by every call it makes (sixty
 * customers, each with its retries and waits): a listener per wait would pile up on it, and Node
 * warns of a leak at eleven. Here the signal holds one listener, whatever the number of waits.
 */
export function onAbort(signal: AbortSignal, handler: () => void): () => void {
  if (signal.aborted) {
    // Its one listener has fired already; still answered asynchronously, as a listener would be.
    let stopped = false;
    queueMicrotask(() => {
      if (!stopped) handler();
    });
    return () => {
      stopped = true;
    };
  }
  let handlers = handlersOf.get(signal);
  if (handlers === undefined) {
    const waits = new Set<() => void>();
    signal.addEventListener(
      'abort',
      () => {
        handlersOf.delete(signal);
        for (const each of waits) each();
        waits.clear();
      },
      { once: true },
    );
    handlersOf.set(signal, waits);
    handlers = waits;
  }
  const current = handlers;
  current.add(handler);
  return () => {
    current.delete(handler);
  };
}

/**
 * Resolves after `ms`, or rejects with the signal's reason the moment it aborts. Unlike
 * `node:timers/promises`, which adds a listener to the signal per sleep, it goes through
 * `onAbort`.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal === undefined) {
      setTimeout(resolve, ms);
      return;
    }
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      stop();
      resolve();
    }, ms);
    const stop = onAbort(signal, () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    });
  });
}
