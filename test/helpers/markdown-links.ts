import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

/** A relative link of a Markdown file, and what is wrong with it (undefined when it resolves). */
export interface BrokenLink {
  readonly file: string;
  readonly target: string;
  readonly problem: string;
}

/** Lines outside fenced code blocks, where Markdown links and headings live. */
function proseLines(markdown: string): string[] {
  let fenced = false;
  return markdown.split('\n').filter((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return false;
    }
    return !fenced;
  });
}

/** A heading's visible text: inline code, emphasis and links reduced to their words. */
function headingText(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/(\*\*|__|\*|_)(\S[^*_]*?)\1/g, '$2');
}

/**
 * GitHub's anchor for a heading text (github-slugger's rule): lower case, everything but
 * letters, digits, `-`, `_` and spaces dropped, spaces made hyphens.
 */
export function githubSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors a Markdown text's headings get on GitHub, repeats numbered `-1`, `-2`, … */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(markdown)) {
    const match = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (match === null) continue;
    const slug = githubSlug(headingText(match[1] ?? ''));
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** The targets of a Markdown text's inline links and images, outside code. */
export function linkTargets(markdown: string): string[] {
  return proseLines(markdown).flatMap((line) =>
    [...line.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map(
      (match) => match[1] ?? '',
    ),
  );
}

/**
 * Every relative link of `files` (paths from the repository root) that does not point at an
 * existing file, or whose `#anchor` is no heading of the Markdown file it points at.
 */
export function brokenLinks(files: readonly string[]): BrokenLink[] {
  const broken: BrokenLink[] = [];
  for (const file of files) {
    for (const target of linkTargets(readFileSync(file, 'utf8'))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: are not ours to check
      const [path = '', anchor] = target.split('#', 2);
      const resolved = path === '' ? file : normalize(join(dirname(file), decodeURI(path)));
      if (!existsSync(resolved)) {
        broken.push({ file, target, problem: `no file ${resolved}` });
        continue;
      }
      if (anchor === undefined) continue;
      if (!resolved.endsWith('.md')) {
        broken.push({ file, target, problem: `an anchor into ${resolved}, which is no Markdown` });
      } else if (!headingAnchors(readFileSync(resolved, 'utf8')).has(anchor)) {
        broken.push({ file, target, problem: `no heading #${anchor} in ${resolved}` });
      }
    }
  }
  return broken;
}
