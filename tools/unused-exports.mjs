// Lists exports no other file imports, found with the TypeScript compiler (not by eye):
//   npm run unused-exports        exit 1 when there is any, with one line per export
// An export is used when another file of the project imports it (named, default, namespace, dynamic or
// re-export), or, for an interface or type alias, when another exported declaration of its own file
// names it (it is part of that declaration's signature). An export used only inside its own file should
// lose its `export`; one used nowhere is dead code. ENTRY_POINTS lists exports loaded by file name at
// run time, which no import shows; KEPT lists exports kept for work in flight on other branches (each
// says which), reported once something here uses them, so the entry can go.
import ts from 'typescript';
import { relative, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
/** file: export → why it is used although no import shows it. */
const ENTRY_POINTS = new Map([
  ['risk/stress/scan-task.ts: default', 'the piscina task: the pool loads the file by name (shock-scanner.ts)'],
]);
const KEPT = new Map([]);
const isEntryPoint = (rel, name) => ENTRY_POINTS.has(`${rel}: ${name}`) || (rel.startsWith('bench/suites/') && name === 'default'); // bench/run.ts imports suites by name

const configPath = ts.findConfigFile(root, ts.sys.fileExists, 'tsconfig.json');
const config = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, root);
const program = ts.createProgram(config.fileNames, { ...config.options, noEmit: true });
const checker = program.getTypeChecker();
const files = program.getSourceFiles().filter((f) => !f.isDeclarationFile && !relative(root, f.fileName).startsWith('..') && !f.fileName.includes('/node_modules/'));
const resolveAlias = (s) => (s !== undefined && (s.flags & ts.SymbolFlags.Alias) !== 0 ? checker.getAliasedSymbol(s) : s);

const used = new Set();
const isDynamicImport = (n) => ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && n.arguments.length === 1 && ts.isStringLiteral(n.arguments[0]);
const useModule = (specifier) => {
  const m = checker.getSymbolAtLocation(specifier);
  if (m !== undefined) for (const e of checker.getExportsOfModule(m)) used.add(resolveAlias(e));
};
for (const f of files) {
  ts.forEachChild(f, function visit(n) {
    if (ts.isImportDeclaration(n) && n.importClause !== undefined) {
      const c = n.importClause;
      if (c.name) used.add(resolveAlias(checker.getSymbolAtLocation(c.name)));
      const b = c.namedBindings;
      if (b !== undefined && ts.isNamespaceImport(b)) useModule(n.moduleSpecifier);
      else if (b !== undefined) for (const el of b.elements) used.add(resolveAlias(checker.getSymbolAtLocation(el.name)));
    } else if (ts.isExportDeclaration(n) && n.moduleSpecifier !== undefined) {
      if (n.exportClause === undefined || !ts.isNamedExports(n.exportClause)) useModule(n.moduleSpecifier);
      else for (const el of n.exportClause.elements) used.add(resolveAlias(checker.getSymbolAtLocation(el.propertyName ?? el.name)));
    } else if (ts.isImportTypeNode(n) && n.qualifier !== undefined) {
      used.add(resolveAlias(checker.getSymbolAtLocation(n.qualifier)));
    } else if (isDynamicImport(n)) {
      // `const { a, b } = await import('./m.js')` uses a and b; any other import('./m.js') the whole module.
      const d = n.parent.kind === ts.SyntaxKind.AwaitExpression ? n.parent.parent : n.parent;
      const m = checker.getSymbolAtLocation(n.arguments[0]);
      if (m !== undefined && ts.isVariableDeclaration(d) && ts.isObjectBindingPattern(d.name)) {
        const exports = checker.getExportsOfModule(m);
        for (const el of d.name.elements) used.add(resolveAlias(exports.find((e) => e.name === (el.propertyName ?? el.name).getText())));
      } else useModule(n.arguments[0]);
    }
    ts.forEachChild(n, visit);
  });
}

// Names that exported declarations use in their own file: a type named there is part of their signature.
const named = new Set();
for (const f of files) {
  for (const st of f.statements) {
    if ((ts.getCombinedModifierFlags(st) & ts.ModifierFlags.Export) === 0) continue;
    const own = new Set();
    if (st.name !== undefined) own.add(checker.getSymbolAtLocation(st.name));
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) own.add(checker.getSymbolAtLocation(d.name));
    (function walk(n) {
      if (ts.isIdentifier(n)) {
        const s = resolveAlias(checker.getSymbolAtLocation(n));
        if (s !== undefined && !own.has(s)) named.add(s);
      }
      ts.forEachChild(n, walk);
    })(st);
  }
}

const TYPE_ONLY = ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias;
const unused = [];
for (const f of files) {
  const module = checker.getSymbolAtLocation(f);
  if (module === undefined) continue;
  const rel = relative(root, f.fileName);
  for (const e of checker.getExportsOfModule(module)) {
    const s = resolveAlias(e);
    if (KEPT.has(`${rel}: ${e.name}`)) {
      if (used.has(s)) console.error(`${rel}: ${e.name} is used now: drop it from KEPT`);
      continue;
    }
    if (used.has(s) || isEntryPoint(rel, e.name)) continue;
    if ((s.flags & TYPE_ONLY) !== 0 && (s.flags & ts.SymbolFlags.Value) === 0 && named.has(s)) continue;
    // Declared here, not re-exported from elsewhere.
    if (s.declarations?.[0]?.getSourceFile() !== f) continue;
    unused.push(`${rel}: ${e.name}`);
  }
}
for (const line of unused.sort()) console.log(line);
console.error(`${unused.length} export(s) no other file uses, in ${files.length} files`);
process.exit(unused.length === 0 ? 0 : 1);
