import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brokenLinks, githubSlug, headingAnchors, linkTargets } from '../helpers/markdown-links.js';

const docs = [
  'README.md',
  ...readdirSync('docs')
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

it('resolves every relative link and anchor of the README and docs/', () => {
  expect(docs.length).toBeGreaterThan(10);
  expect(brokenLinks(docs)).toEqual([]);
});

it('links every docs/ page from the README', () => {
  const fromReadme = new Set(
    linkTargets(readFileSync('README.md', 'utf8')).map((target) => target.split('#')[0]),
  );

  expect(docs.filter((file) => file !== 'README.md' && !fromReadme.has(file))).toEqual([]);
});

it('keeps the README one page', () => {
  expect(readFileSync('README.md', 'utf8').split('\n').length).toBeLessThanOrEqual(200);
});

describe('the link check', () => {
  it("makes GitHub's anchors of headings", () => {
    expect(githubSlug('The watch, and what it costs')).toBe('the-watch-and-what-it-costs');
    expect(githubSlug('Why ioredis and lru-cache rather than bentocache?')).toBe(
      'why-ioredis-and-lru-cache-rather-than-bentocache',
    );
    expect(githubSlug('One bad moment: what each piece learns')).toBe(
      'one-bad-moment-what-each-piece-learns',
    );
    expect(githubSlug('snake_case stays')).toBe('snake_case-stays');
    expect([
      ...headingAnchors(
        '# Title\n## `customers(ids:)` and **more**\n```\n# not a heading\n```\n## Title\n',
      ),
    ]).toEqual(['title', 'customersids-and-more', 'title-1']);
  });

  it('finds a missing file, a missing anchor and an anchor into no Markdown, not links in code', () => {
    const dir = mkdtempSync(join(tmpdir(), 'docs-links-'));
    try {
      writeFileSync(join(dir, 'b.md'), '# B\n\n## Here\n');
      writeFileSync(join(dir, 'c.png'), '');
      writeFileSync(
        join(dir, 'a.md'),
        [
          '# A',
          '[ok](b.md#here) [self](#a) ![img](c.png) [web](https://example.com/x#y)',
          '[gone](missing.md) [no anchor](b.md#there) [png](c.png#x) [self](#nowhere)',
          '`[code](missing.md)`',
          '```',
          '[fenced](missing.md)',
          '```',
        ].join('\n'),
      );
      const a = join(dir, 'a.md');

      expect(brokenLinks([a]).map((link) => link.target)).toEqual([
        'missing.md',
        'b.md#there',
        'c.png#x',
        '#nowhere',
      ]);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
