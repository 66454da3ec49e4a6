import {
  createSourceEventStream,
  execute,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';
import type { Context } from '../graphql/context.js';

/**
 * graphql-js's `subscribe`, but each event runs as an operation of its own: with a new context
 * (its own loaders, deadline and cost), where graphql-js would run every event of a long-lived
 * subscription in one context whose DataLoaders would keep the first answers forever and whose
 * deadline would have passed. `args.contextValue` is only for the `subscribe` resolver.
 * Returns the events, or the result that refused the subscription (a bad argument, say).
 */
export async function subscribeWithEventContexts(
  args: ExecutionArgs,
  eventContext: () => Promise<Context>,
): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source;
  const events = source[Symbol.asyncIterator]();
  // Not `args`: its context was only for `subscribe`, and an idle subscription would keep it
  // (its loaders, controller and closures) for as long as it is open.
  const eventArgs: ExecutionArgs = { ...args, contextValue: undefined };
  const done: IteratorReturnResult<undefined> = { done: true, value: undefined };
  const results: AsyncIterableIterator<ExecutionResult> = {
    [Symbol.asyncIterator]: () => results,
    async next(): Promise<IteratorResult<ExecutionResult>> {
      const event = await events.next();
      if (event.done === true) return done;
      const contextValue = await eventContext();
      try {
        return {
          done: false,
          value: await execute({ ...eventArgs, rootValue: event.value, contextValue }),
        };
      } finally {
        contextValue.dispose();
      }
    },
    async return(): Promise<IteratorResult<ExecutionResult>> {
      await events.return?.();
      return done;
    },
    async throw(error: unknown): Promise<IteratorResult<ExecutionResult>> {
      await events.return?.();
      throw error;
    },
  };
  return results;
}
