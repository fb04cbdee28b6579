import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens; repeats get `-1`, `-2`. */
export function headingAnchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  const text = markdown.replace(/```[\s\S]*?```/g, '');
  for (const [, title] of text.matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const base = title
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n ? `${base}-${n}` : base);
  }
  return anchors;
}

/** The `file#anchor` links of a Markdown file (outside code), resolved against the project root; URLs left out. */
export function anchorLinks(doc: string, markdown: string): { link: string; file: string; anchor: string }[] {
  const text = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(\s*<?([^)\s>]*#[^)\s>]+)>?\)/g)]
    .map((m) => m[1])
    .filter((link) => !/^[a-z][a-z0-9+.-]*:|^\/\//i.test(link))
    .map((link) => {
      const [path, anchor] = link.split('#');
      return { link, file: path ? posix.normalize(posix.join(posix.dirname(doc), path)) : doc, anchor: decodeURIComponent(anchor) };
    });
}

/** `doc: link` for every anchor link that names no heading of its target. */
export function brokenAnchors(root: string, docs: string[]): string[] {
  const read = (file: string): string => readFileSync(join(root, file), 'utf8');
  return docs.flatMap((doc) =>
    anchorLinks(doc, read(doc))
      .filter((l) => !headingAnchors(read(l.file)).has(l.anchor))
      .map((l) => `${doc}: ${l.link}`),
  );
}
