/**
 * No import cycle anywhere in functions/, type-only imports included: a cycle, even of types
 * only, means code sits in the wrong layer. The walk reads the TypeScript sources the build
 * compiles (the emitted .js has lost its `import type` lines), every static `import … from`,
 * `import type`, `export … from` and `import('…')` type, and follows the relative ones.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {mkdir, readdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import ts from 'typescript';
import {REPO_ROOT, tempDir} from '../cli/helpers.js';

/** Every .ts file under `dir`, recursively. */
async function sourcesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, {withFileTypes: true, recursive: true});
  return entries
    .filter(e => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map(e => path.join(e.parentPath, e.name));
}

/** The module specifiers a source file imports or re-exports, type-only ones included. */
function specifiersOf(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier !== undefined &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push(node.moduleSpecifier.text);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      found.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The import graph of the sources under `dir`: file → the files it imports. */
async function importGraph(dir: string): Promise<Map<string, string[]>> {
  const files = await sourcesUnder(dir);
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = specifiersOf(file, await readFile(file, 'utf8'))
      .filter(s => s.startsWith('.'))
      .map(s => path.resolve(path.dirname(file), s.replace(/\.js$/, '.ts')))
      .filter(t => known.has(t));
    graph.set(file, targets);
  }
  return graph;
}

/** The cycle each back edge of a depth-first walk closes, as paths relative to `dir`. */
function cyclesOf(graph: Map<string, string[]>, dir: string): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const walk = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      const seen = state.get(next);
      if (seen === 'open') {
        const loop = stack.slice(stack.indexOf(next));
        cycles.push([...loop, next].map(f => path.relative(dir, f)));
      } else if (seen === undefined) {
        walk(next);
      }
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) walk(file);
  return cycles;
}

describe('import cycles', () => {
  it('functions/ has none, type-only imports included', async () => {
    const dir = path.join(REPO_ROOT, 'functions');
    const graph = await importGraph(dir);
    // The walk found the code: a broken path would make an empty graph pass.
    assert.ok(graph.size > 50, `only ${graph.size} sources found under ${dir}`);
    assert.ok(
      (graph.get(path.join(dir, 'core', 'detections', 'registry.ts'))?.length ?? 0) > 0,
      'the registry imports its slices',
    );
    assert.deepEqual(cyclesOf(graph, dir), []);
  });

  it('finds a planted cycle made of type-only imports and re-exports', async () => {
    const dir = await tempDir('cycle');
    await mkdir(path.join(dir, 'nested'));
    await writeFile(
      path.join(dir, 'a.ts'),
      "import type {B} from './nested/b.js';\nexport type A = B;\n",
    );
    await writeFile(path.join(dir, 'nested', 'b.ts'), "export type {C as B} from '../c.js';\n");
    await writeFile(path.join(dir, 'c.ts'), "export type C = import('./a.js').A | 1;\n");
    await writeFile(path.join(dir, 'd.ts'), "import {x} from 'node:fs';\nimport './a.js';\n");
    const cycles = cyclesOf(await importGraph(dir), dir);
    assert.deepEqual(cycles, [['a.ts', path.join('nested', 'b.ts'), 'c.ts', 'a.ts']]);
  });

  it('finds nothing where the imports form no cycle', async () => {
    const dir = await tempDir('no-cycle');
    await writeFile(path.join(dir, 'a.ts'), "import type {B} from './b.js';\nexport type A = B;\n");
    await writeFile(path.join(dir, 'b.ts'), 'export type B = 1;\n');
    assert.deepEqual(cyclesOf(await importGraph(dir), dir), []);
  });
});
