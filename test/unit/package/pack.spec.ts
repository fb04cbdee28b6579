import { requireBuild } from './package-root.js';
import {
  isExternal,
  markdownLinks,
  mapSources,
  packReport,
  packedText,
  resolveFrom,
  sourceMappingUrl,
  type PackReport,
} from './packed-files.js';

/** The file paths of package.json's entry points: `main`, `types` and every target in `exports`. */
function entryPoints(): string[] {
  const pkg = JSON.parse(packedText('package.json')) as { main?: string; types?: string; exports?: unknown };
  const targets: string[] = [];
  const walk = (node: unknown): void => {
    if (typeof node === 'string') targets.push(node);
    else if (node && typeof node === 'object') Object.values(node).forEach(walk);
  };
  walk(pkg.exports);
  return [pkg.main, pkg.types, ...targets]
    .filter((t): t is string => typeof t === 'string' && !t.includes('*'))
    .map((t) => resolveFrom('package.json', t));
}

describe('the published tarball (npm pack)', () => {
  let pack: PackReport;
  let packed: Set<string>;
  const ofType = (suffix: string): string[] => [...packed].filter((p) => p.endsWith(suffix));
  /** `from -> target` for every reference whose target is not in the tarball. */
  const dangling = (pairs: [string, string][]): string[] =>
    pairs.filter(([, target]) => !packed.has(target)).map(([from, target]) => `${from} -> ${target}`);

  beforeAll(() => {
    requireBuild();
    pack = packReport();
    packed = new Set(pack.files.map((f) => f.path));
  });

  it('carries the MIT LICENSE that package.json declares', () => {
    expect(packed).toContain('LICENSE');
    expect(JSON.parse(packedText('package.json'))).toMatchObject({ license: 'MIT' });
    expect(packedText('LICENSE')).toMatch(/^MIT License\s+Copyright \(c\) \d{4} nest-rdkafka contributors/);
  });

  it('resolves every relative link of its Markdown files (README, docs) to a packed file', () => {
    const markdown = ofType('.md');
    expect(markdown).toContain('README.md');
    const links = markdown.flatMap((file) =>
      markdownLinks(packedText(file))
        .filter((l) => !isExternal(l))
        .map((l): [string, string] => [file, resolveFrom(file, l)]),
    );
    expect(links.length).toBeGreaterThan(0);
    expect(dangling(links)).toEqual([]);
  });

  it('has no source map naming a source it does not carry, nor a script naming a map it does not carry', () => {
    const sources = ofType('.map').flatMap((map) => mapSources(map).map((s): [string, string] => [map, s]));
    const maps = ofType('.js').flatMap((js) => {
      const url = sourceMappingUrl(js);
      return url ? [[js, resolveFrom(js, url)] as [string, string]] : [];
    });
    expect(dangling([...sources, ...maps])).toEqual([]);
  });

  it('carries TypeScript sources only for the source maps that name them', () => {
    const named = new Set(ofType('.map').flatMap(mapSources));
    const sources = [...packed].filter((p) => /\.[cm]?ts$/.test(p) && !/\.d\.[cm]?ts$/.test(p));
    expect(sources.filter((p) => !named.has(p))).toEqual([]);
  });

  it('carries the file behind every entry point of package.json', () => {
    expect(dangling(entryPoints().map((t): [string, string] => ['package.json', t]))).toEqual([]);
  });
});
