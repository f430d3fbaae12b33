import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Options } from 'tsup';
import ts from 'typescript';

type Plugin = NonNullable<Options['esbuildPlugins']>[number];
type PluginBuild = Parameters<Plugin['setup']>[0];

/** Where a name a module exports is defined: the module and the name it has there. */
interface Origin {
  file: string;
  name: string;
}

/**
 * Code splitting and package indexes. With `splitting`, esbuild gives each chunk whole files, by the entry points
 * whose imports reach them, and it leaves `"sideEffects": false` aside. One name imported from a package's index
 * then reaches every module the index re-exports, and the entry statically imports the chunks that hold them: for
 * the CLI, zod, yaml and the whole scan lifecycle before `--version` is answered.
 *
 * This plugin rewrites each named import (and `export … from`) of the given workspace packages into imports of the
 * modules that define the names, following the package's `export { … } from './module'` lines (through nested
 * indexes), so a file reaches only what it uses. That is what `"sideEffects": false` promises: a module of the
 * package may be left out when nothing it exports is used. A package that does not say so is refused. Type-only
 * names become an `import type` of the index (erased); a name the index does not re-export by name stays on it.
 */
export function directImports(packages: readonly string[]): Plugin {
  return {
    name: 'direct-imports',
    setup(build) {
      const reexports = new Map<string, Promise<Map<string, Origin>>>();
      const indexes = new Map<string, Promise<string>>();
      const specifiers = packages.map((name) => `'${name}'`);

      const indexOf = (name: string, resolveDir: string): Promise<string> => {
        let found = indexes.get(name);
        if (found === undefined) {
          found = resolved(build, name, resolveDir).then((path) => {
            const manifest = findManifest(path, name);
            if ((JSON.parse(readFileSync(manifest, 'utf8')) as { sideEffects?: unknown }).sideEffects !== false) {
              throw new Error(`direct-imports: ${name} does not declare "sideEffects": false, so its index may not be skipped`);
            }
            return path;
          });
          indexes.set(name, found);
        }
        return found;
      };

      /** The names a module re-exports by name, each with the module that defines it (nested indexes followed). */
      const reexportsOf = (file: string): Promise<Map<string, Origin>> => {
        let found = reexports.get(file);
        if (found === undefined) {
          found = readReexports(build, file);
          reexports.set(file, found);
        }
        return found;
      };
      const origin = async (file: string, name: string): Promise<Origin> => {
        const next = (await reexportsOf(file)).get(name);
        return next === undefined ? { file, name } : origin(next.file, next.name);
      };

      build.onLoad({ filter: /\.[cm]?ts$/ }, async (args) => {
        if (/[\\/]node_modules[\\/]/.test(args.path)) return undefined;
        const text = await readFile(args.path, 'utf8');
        if (!specifiers.some((s) => text.includes(s))) return undefined;
        const source = ts.createSourceFile(args.path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
        const edits: { start: number; end: number; text: string }[] = [];
        for (const statement of source.statements) {
          const use = packageUse(statement);
          if (use === undefined || !packages.includes(use.from)) continue;
          const index = await indexOf(use.from, dirname(args.path));
          const byFile = new Map<string, string[]>();
          const types: string[] = [];
          for (const element of use.elements) {
            const imported = (element.propertyName ?? element.name).text;
            const local = element.name.text;
            if (element.isTypeOnly) {
              types.push(imported === local ? local : `${imported} as ${local}`);
              continue;
            }
            // A name the index defines itself, or re-exports with `export *`, stays on the index.
            const at = await origin(index, imported);
            const list = byFile.get(at.file) ?? [];
            list.push(at.name === local ? local : `${at.name} as ${local}`);
            byFile.set(at.file, list);
          }
          const keyword = use.kind === 'import' ? 'import' : 'export';
          const lines = [...byFile].map(([file, names]) => `${keyword} { ${names.join(', ')} } from ${JSON.stringify(file === index ? use.from : file)};`);
          // As their own `import type`: under verbatimModuleSyntax, `import { type X } from` would keep the index.
          if (types.length > 0) lines.push(`${keyword} type { ${types.join(', ')} } from '${use.from}';`);
          edits.push({ start: statement.getStart(source), end: statement.getEnd(), text: lines.join(' ') });
        }
        if (edits.length === 0) return undefined;
        let contents = text;
        for (const edit of edits.reverse()) contents = contents.slice(0, edit.start) + edit.text + contents.slice(edit.end);
        return { contents, loader: 'ts', resolveDir: dirname(args.path) };
      });
    },
  };
}

/** A statement's named import or re-export of a bare package specifier, unless it is type-only or has a default or namespace import. */
function packageUse(statement: ts.Statement): { kind: 'import' | 'export'; from: string; elements: readonly (ts.ImportSpecifier | ts.ExportSpecifier)[] } | undefined {
  if (ts.isImportDeclaration(statement)) {
    const clause = statement.importClause;
    if (!ts.isStringLiteral(statement.moduleSpecifier) || clause === undefined || clause.isTypeOnly || clause.name !== undefined) return undefined;
    if (clause.namedBindings === undefined || !ts.isNamedImports(clause.namedBindings)) return undefined;
    return { kind: 'import', from: statement.moduleSpecifier.text, elements: clause.namedBindings.elements };
  }
  if (ts.isExportDeclaration(statement)) {
    if (statement.moduleSpecifier === undefined || !ts.isStringLiteral(statement.moduleSpecifier) || statement.isTypeOnly) return undefined;
    if (statement.exportClause === undefined || !ts.isNamedExports(statement.exportClause)) return undefined;
    return { kind: 'export', from: statement.moduleSpecifier.text, elements: statement.exportClause.elements };
  }
  return undefined;
}

/** The `export { a, b as c } from './module'` lines of a module: exported name → where it comes from. */
async function readReexports(build: PluginBuild, file: string): Promise<Map<string, Origin>> {
  const found = new Map<string, Origin>();
  if (!/\.[cm]?ts$/.test(file)) return found;
  const source = ts.createSourceFile(file, await readFile(file, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  for (const statement of source.statements) {
    if (!ts.isExportDeclaration(statement) || statement.isTypeOnly || statement.moduleSpecifier === undefined || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    if (statement.exportClause === undefined || !ts.isNamedExports(statement.exportClause)) continue;
    const spec = statement.moduleSpecifier.text;
    if (!spec.startsWith('.')) continue;
    const target = await resolved(build, spec, dirname(file));
    for (const element of statement.exportClause.elements) {
      if (!element.isTypeOnly) found.set(element.name.text, { file: target, name: (element.propertyName ?? element.name).text });
    }
  }
  return found;
}

async function resolved(build: PluginBuild, spec: string, resolveDir: string): Promise<string> {
  const result = await build.resolve(spec, { kind: 'import-statement', resolveDir });
  if (result.errors.length > 0 || result.path === '') throw new Error(`direct-imports: cannot resolve ${spec} from ${resolveDir}`);
  return result.path;
}

/** The package.json of the package `name` that holds `file`. */
function findManifest(file: string, name: string): string {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'package.json');
    try {
      if ((JSON.parse(readFileSync(candidate, 'utf8')) as { name?: unknown }).name === name) return candidate;
    } catch {
      // No manifest here: look further up.
    }
  }
  throw new Error(`direct-imports: no package.json of ${name} above ${file}`);
}
