import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

/** A ```ts block of a Markdown file. */
export interface Snippet {
  /** The Markdown file, relative to the project root. */
  doc: string;
  /** 1-based line of the block's first code line in `doc`. */
  line: number;
  /** The file name it is compiled as: `file=<name>` on the fence, else `snippet-<line>.ts`. */
  name: string;
  code: string;
  /** Why it is not compiled (`ts nocheck <reason>`), or undefined. */
  nocheck?: string;
}

const FENCE = /^```(\S*)(.*)$/;

/**
 * The TypeScript blocks of one Markdown file. A fence `ts file=orders.controller.ts` names the file the block is
 * compiled as, so later blocks of the same document can import it (`./orders.controller.js`), as an app's files do.
 */
export function tsSnippets(root: string, doc: string): Snippet[] {
  const lines = readFileSync(join(root, doc), 'utf8').split('\n');
  const out: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open || !open[1]) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    if (end < 0) throw new Error(`${doc}:${i + 1}: code block never closed`);
    if (open[1] === 'ts' || open[1] === 'typescript') out.push(snippet(doc, i + 2, open[2], lines.slice(i + 1, end).join('\n')));
    i = end;
  }
  return out;
}

function snippet(doc: string, line: number, info: string, code: string): Snippet {
  const name = /\bfile=(\S+\.ts)\b/.exec(info)?.[1] ?? `snippet-${line}.ts`;
  const nocheck = /\bnocheck\b(.*)$/.exec(info)?.[1].trim();
  return { doc, line, name, code, ...(nocheck !== undefined ? { nocheck } : {}) };
}

/** The Markdown files a user reads: README.md and docs/*.md. */
export function userDocs(root: string): string[] {
  return [
    'README.md',
    ...readdirSync(join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];
}

/**
 * `paths` mapping each export of package.json to its source, as the published package maps it to dist:
 * `nest-rdkafka` → lib/index.ts, `nest-rdkafka/testing` → lib/testing/index.ts. Read from `exports`, so a new
 * subpath is checked without touching this file.
 */
export function packagePaths(root: string, fromDir: string): Record<string, string[]> {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; exports: Record<string, unknown> };
  const paths: Record<string, string[]> = {};
  for (const [sub, target] of Object.entries(pkg.exports)) {
    const types = JSON.stringify(target).match(/"\.\/dist\/esm\/([^"]+)\.d\.ts"/)?.[1];
    if (!types) continue;
    paths[sub === '.' ? pkg.name : `${pkg.name}/${sub.slice(2)}`] = [relative(fromDir, join(root, 'lib', `${types}.ts`))];
  }
  return paths;
}

/** A compiler diagnostic of one snippet, with its place in the Markdown file. */
export interface SnippetError {
  snippet: Snippet;
  message: string;
}

/**
 * Type-checks every snippet with the project's compiler options (strict, NodeNext, decorators) in a fresh folder
 * under .cache, where `nest-rdkafka` resolves to lib/ and its peers to node_modules, as in an application.
 * Each file gets its syntactic and semantic diagnostics, so a syntax error in one block does not hide the type
 * errors of the others (tsc's command line stops at syntax errors). The folder is removed afterwards.
 */
export function typeCheck(root: string, snippets: Snippet[]): SnippetError[] {
  const dir = join(root, '.cache', `doc-snippets-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  try {
    const byFile = writeSnippets(dir, snippets);
    const config = {
      extends: relative(dir, join(root, 'tsconfig.json')),
      compilerOptions: { noEmit: true, declaration: false, rootDir: relative(dir, root), paths: packagePaths(root, dir) },
      include: ['**/*.ts'],
      exclude: [],
    };
    const parsed = ts.parseJsonConfigFileContent(config, ts.sys, dir);
    const program = ts.createProgram(parsed.fileNames, parsed.options);
    return [...byFile].flatMap(([file, snippet]) => {
      const source = program.getSourceFile(file);
      if (!source) throw new Error(`${snippet.doc}:${snippet.line}: not in the program`);
      return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map((d) => ({
        snippet,
        message: describe(snippet, source, d),
      }));
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function writeSnippets(dir: string, snippets: Snippet[]): Map<string, Snippet> {
  const byFile = new Map<string, Snippet>();
  for (const s of snippets) {
    // The compiler's own spelling of the path, so getSourceFile finds it.
    const file = join(dir, s.doc.replace(/[/.]/g, '_'), s.name).split(sep).join('/');
    if (byFile.has(file)) throw new Error(`${s.doc}:${s.line}: a second block named ${s.name}`);
    byFile.set(file, s);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, s.code);
  }
  return byFile;
}

/** `README.md:<line>:<col> error TS<code>: <message>`, the line counted in the Markdown file. */
function describe(snippet: Snippet, source: ts.SourceFile, d: ts.Diagnostic): string {
  const { line, character } = source.getLineAndCharacterOfPosition(d.start ?? 0);
  return `${snippet.doc}:${snippet.line + line}:${character + 1} error TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
}
