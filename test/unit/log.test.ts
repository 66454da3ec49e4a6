import { expect, it } from 'vitest';
import { captureLogs } from '../helpers/log-capture.js';

it('redacts credentials wherever they appear in a logged object', () => {
  const { logger, lines, entries } = captureLogs('info');

  logger.info(
    {
      authorization: 'Bearer top-level',
      headers: { authorization: 'Bearer nested' },
      req: { headers: { authorization: 'Bearer request', cookie: 'session=abc' } },
      upstream: { authorization: 'Bearer wildcard', headers: { authorization: 'Bearer deep' } },
    },
    'with credentials',
  );

  expect(entries()[0]).toMatchObject({
    authorization: '[redacted]',
    headers: { authorization: '[redacted]' },
    req: { headers: { authorization: '[redacted]', cookie: '[redacted]' } },
    upstream: { authorization: '[redacted]', headers: { authorization: '[redacted]' } },
    msg: 'with credentials',
  });
  expect(lines.join('\n')).not.toMatch(/Bearer|session=abc/);
});
