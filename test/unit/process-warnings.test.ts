import { describe, expect, it } from 'vitest';
import { warningsIn } from '../helpers/process-warnings.js';

describe('warningsIn', () => {
  it("finds each warning a Node process printed, with or without a code or a process's name", () => {
    const stderr = [
      '{"level":30,"msg":"listening"}',
      '(node:2784) MaxListenersExceededWarning: Possible EventTarget memory leak detected. 11 abort listeners added to [AbortSignal]. MaxListeners is 10. Use events.setMaxListeners() to increase limit',
      '(Use `node --trace-warnings ...` to show where the warning was created)',
      'gateway: (node:3174) [DEP0040] DeprecationWarning: The `punycode` module is deprecated.',
      '(node:12) Warning: something else',
      'Warning: not printed by Node',
    ].join('\n');

    expect(warningsIn(stderr)).toEqual([
      {
        name: 'MaxListenersExceededWarning',
        message:
          'Possible EventTarget memory leak detected. 11 abort listeners added to [AbortSignal]. MaxListeners is 10. Use events.setMaxListeners() to increase limit',
      },
      { name: 'DeprecationWarning', message: 'The `punycode` module is deprecated.' },
      { name: 'Warning', message: 'something else' },
    ]);
  });
});
