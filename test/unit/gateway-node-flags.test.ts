import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { GATEWAY_NODE_FLAGS } from '../../bench/services.js';

it('benchmarks the gateway with the node flags `npm start` runs it with', () => {
  const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as {
    scripts: Record<string, string>;
  };

  expect(scripts['start']).toBe(
    `npm run --silent build && node ${GATEWAY_NODE_FLAGS.join(' ')} dist/main.js`,
  );
});
