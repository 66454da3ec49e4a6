/**
 * Process warnings are defects: a `MaxListenersExceededWarning` is a leak, a
 * `DeprecationWarning` an API about to go. The test run fails on any (`test/setup/`), in the test
 * process and in the Node processes tests start, except those allowed here, each with its reason.
 */
interface Allowed {
  readonly name: string;
  readonly message: RegExp;
  /** Why it is no defect of ours, or none we can mend. */
  readonly why: string;
}

const ALLOWED: readonly Allowed[] = [];

export interface SeenWarning {
  readonly name: string;
  readonly message: string;
  /** Where it was raised, when known (in this process). */
  readonly stack?: string | undefined;
}

export function isAllowed(warning: SeenWarning): boolean {
  return ALLOWED.some(
    (allowed) => allowed.name === warning.name && allowed.message.test(warning.message),
  );
}

/**
 * Node prints a warning as `(node:1234) [DEP0040] DeprecationWarning: …` on stderr; the
 * benchmark passes its children's on with their name in front.
 */
const PRINTED = /\(node:\d+\) (?:\[[A-Z]+\d+\] )?(\w*Warning): (.*)$/gm;

/** The warnings a Node process printed on stderr, but those allowed. */
export function warningsIn(stderr: string): SeenWarning[] {
  return [...stderr.matchAll(PRINTED)]
    .map(([, name = '', message = '']) => ({ name, message }))
    .filter((warning) => !isAllowed(warning));
}

export function describeWarnings(warnings: readonly SeenWarning[]): string {
  return warnings
    .map((warning) => warning.stack ?? `${warning.name}: ${warning.message}`)
    .join('\n\n');
}
