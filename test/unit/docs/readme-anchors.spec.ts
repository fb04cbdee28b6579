import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../package/package-root.js';
import { anchorLinks, brokenAnchors, headingAnchors } from './markdown-anchors.js';
import { userDocs } from './markdown-snippets.js';

// The README's table of contents and the "back to the README" links of docs/ jump to headings; a renamed heading
// would leave them pointing nowhere (the pack test checks files, not anchors).
describe('in-page links of README.md and docs/', () => {
  it('computes GitHub anchors for headings with punctuation and code', () => {
    expect(
      headingAnchors("## Switching from Nest's built-in Kafka transport\n## Avro, JSON Schema and Protobuf\n## `x` y\n## `x` y"),
    ).toEqual(new Set(['switching-from-nests-built-in-kafka-transport', 'avro-json-schema-and-protobuf', 'x-y', 'x-y-1']));
  });

  it('finds the table of contents links', () => {
    expect(anchorLinks('README.md', '- [A](#a) and [B](docs/b.md#c), [web](https://x.org/#d)')).toEqual([
      { link: '#a', file: 'README.md', anchor: 'a' },
      { link: 'docs/b.md#c', file: 'docs/b.md', anchor: 'c' },
    ]);
  });

  it('has every anchor link name a heading of its target', () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    expect(anchorLinks('README.md', readme).length).toBeGreaterThanOrEqual(10);
    expect(brokenAnchors(PROJECT_ROOT, [...userDocs(PROJECT_ROOT), 'lib/admin/README.md'])).toEqual([]);
  });
});
