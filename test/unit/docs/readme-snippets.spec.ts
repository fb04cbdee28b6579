import { PROJECT_ROOT } from '../package/package-root.js';
import { tsSnippets, typeCheck, userDocs, type SnippetError } from './markdown-snippets.js';

// Every TypeScript block of the README and docs/ is compiled against today's API, imports included, so a renamed
// option or a missing import fails here instead of in a reader's editor.
const snippets = userDocs(PROJECT_ROOT).flatMap((doc) => tsSnippets(PROJECT_ROOT, doc));
const checked = snippets.filter((s) => s.nocheck === undefined);

describe('the TypeScript snippets of README.md and docs/', () => {
  let errors: SnippetError[];

  beforeAll(() => {
    errors = typeCheck(PROJECT_ROOT, checked);
  }, 120_000);

  it('finds the README snippets (the extraction works)', () => {
    expect(checked.filter((s) => s.doc === 'README.md').length).toBeGreaterThanOrEqual(8);
  });

  it('says why a block is not compiled (`ts nocheck <reason>`)', () => {
    expect(snippets.filter((s) => s.nocheck === '').map((s) => `${s.doc}:${s.line}`)).toEqual([]);
  });

  it.each(checked.map((s) => [`${s.doc}:${s.line} (${s.name})`, s] as const))('%s compiles with its imports', (_, snippet) => {
    expect(errors.filter((e) => e.snippet === snippet).map((e) => e.message)).toEqual([]);
  });
});
