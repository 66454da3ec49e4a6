/**
 * The part of autocannon's API the load worker uses. autocannon ships no types, and the project
 * takes one devDependency for the benchmark, not a second for `@types/autocannon`.
 */
declare module 'autocannon' {
  export interface AutocannonRequest {
    method?: 'GET' | 'POST';
    path?: string;
    headers?: Record<string, string>;
    body?: string;
  }

  export interface RequestTemplate extends AutocannonRequest {
    /** Called before every request on a connection; returns the request to send. */
    setupRequest?: (
      request: AutocannonRequest,
      context: Record<string, unknown>,
    ) => AutocannonRequest;
    /** Called with every response; setting it makes autocannon keep the body. */
    onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
  }

  export interface Options {
    /** Several: the connections are spread over them in turn. */
    url: string | string[];
    connections?: number;
    /** Seconds. */
    duration?: number;
    pipelining?: number;
    /** Seconds without an answer before a request counts as a timeout. */
    timeout?: number;
    headers?: Record<string, string>;
    requests?: RequestTemplate[];
  }

  /** Milliseconds, whole numbers (autocannon's histogram does not resolve below 1 ms). */
  export interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    p50: number;
    p90: number;
    p99: number;
    p99_9: number;
    totalCount: number;
  }

  export interface Result {
    /** Seconds between the first request and the stop. */
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    resets: number;
    '2xx': number;
    latency: Histogram;
    requests: { average: number; total: number; sent: number };
  }

  /** autocannon's tracker: an event emitter with `then`, so it can be awaited (it has no `catch`). */
  export interface Instance extends PromiseLike<Result> {
    stop(): void;
  }

  function autocannon(options: Options): Instance;
  export default autocannon;
}
