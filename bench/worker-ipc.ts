/** The worker side of the IPC channel to the benchmark (load-worker.ts, overload-worker.ts). */

export function sendToParent(message: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    if (process.send === undefined) {
      reject(new Error('a load worker must be forked with an IPC channel'));
      return;
    }
    process.send(message, (error: Error | null) => {
      if (error) reject(error);
      else resolve();
    });
  });
}

export function nextParentMessage<T>(): Promise<T> {
  return new Promise((resolve) => process.once('message', (m) => resolve(m as T)));
}

/** Runs the worker; a failure is reported to the parent, and the channel is closed either way. */
export function runWorker(main: () => Promise<void>): void {
  main()
    .catch(async (error: unknown) => {
      process.exitCode = 1;
      await sendToParent({
        type: 'failed',
        message: error instanceof Error ? error.message : String(error),
      });
    })
    // The IPC channel would keep the process alive.
    .finally(() => {
      if (process.connected) process.disconnect();
    });
}
