import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { PROJECT_ROOT } from './package-root.js';

/** What `npm pack --dry-run --json` reports for the package. */
export interface PackReport {
  readonly size: number;
  readonly unpackedSize: number;
  readonly entryCount: number;
  readonly files: readonly { readonly path: string; readonly size: number }[];
}

/** The tarball npm would publish, without writing it (nor running lifecycle scripts such as a prepack build). */
export function packReport(): PackReport {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const json = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return (JSON.parse(json) as PackReport[])[0]!;
}

/** A packed file's text (the tarball holds the file as it is on disk). */
export function packedText(path: string): string {
  return readFileSync(join(PROJECT_ROOT, path), 'utf8');
}

/** A reference from a packed file, resolved to a package path (posix, no leading `./`). */
export function resolveFrom(file: string, reference: string): string {
  return posix.normalize(posix.join(posix.dirname(file), decodeURIComponent(reference)));
}

/** Whether a reference leaves the package (a URL, a mail address, an in-page anchor). */
export function isExternal(reference: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(reference) || reference.startsWith('#') || reference.startsWith('//');
}

/** The link targets of a Markdown text, inline (`[x](target "title")`) and reference-style (`[x]: target`). */
export function markdownLinks(text: string): string[] {
  const withoutCode = text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  const inline = [...withoutCode.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+["'(][^)]*)?\)/g)].map((m) => m[1]!);
  const reference = [...withoutCode.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]!);
  return [...inline, ...reference].map((target) => target.replace(/#.*$/, '')).filter((target) => target !== '');
}

/** The sources a source map names, resolved against its `sourceRoot` and its own folder. */
export function mapSources(mapPath: string): string[] {
  const map = JSON.parse(packedText(mapPath)) as { sources?: string[]; sourceRoot?: string };
  return (map.sources ?? []).map((source) => resolveFrom(mapPath, posix.join(map.sourceRoot ?? '', source)));
}

/** The external source map a JavaScript file points at, if any (inline `data:` maps excluded). */
export function sourceMappingUrl(jsPath: string): string | undefined {
  const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(packedText(jsPath))?.[1];
  return url && !url.startsWith('data:') ? url : undefined;
}

/** Directory of a package path, for messages. */
export const folderOf = (path: string): string => dirname(path);
