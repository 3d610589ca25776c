import { createRequire } from 'node:module';
import type TS from 'typescript';

// The compiler takes about half a second to load, and every CLI command imports the scorer's barrel:
// load it on the first file that needs parsing, not at import. It is an optional peer dependency (23 MB a
// global install need not carry): without it, doc comments and command docs are "unmeasured", never 0.
let compiler: typeof TS | null | undefined;
function typescript(): typeof TS {
  if (!typescriptAvailable()) throw new Error('typescript is not installed');
  return compiler!;
}

/** Whether the TypeScript compiler can be loaded here (it is an optional peer dependency of the scorer). */
export function typescriptAvailable(): boolean {
  if (compiler === undefined) {
    try {
      compiler = createRequire(import.meta.url)('typescript') as typeof TS;
    } catch {
      compiler = null;
    }
  }
  return compiler !== null;
}

export interface ExportedDeclaration {
  name: string;
  kind: string;
  line: number;
  documented: boolean;
}

export interface CommandDoc {
  className: string;
  line: number;
  hasDescription: boolean;
  hasExamples: boolean;
}

export interface SourceDocs {
  exports: ExportedDeclaration[];
  commands: CommandDoc[];
  /** Set when the file could not be parsed because the TypeScript compiler is not installed. */
  unmeasured?: true;
}

function hasModifier(node: TS.Node, kind: TS.SyntaxKind): boolean {
  const ts = typescript();
  return (ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined)?.some((m) => m.kind === kind) ?? false;
}

function hasDocComment(text: string, node: TS.Node): boolean {
  const ts = typescript();
  const ranges = ts.getLeadingCommentRanges(text, node.pos) ?? [];
  return ranges.some((r) => r.kind === ts.SyntaxKind.MultiLineCommentTrivia && text.startsWith('/**', r.pos) && text.slice(r.pos + 3, r.end - 2).trim().length > 0);
}

function declarationName(node: TS.Statement, source: TS.SourceFile): { name: string; kind: string } | null {
  const ts = typescript();
  if (ts.isFunctionDeclaration(node)) return { name: node.name?.text ?? 'default', kind: 'function' };
  if (ts.isClassDeclaration(node)) return { name: node.name?.text ?? 'default', kind: 'class' };
  if (ts.isInterfaceDeclaration(node)) return { name: node.name.text, kind: 'interface' };
  if (ts.isTypeAliasDeclaration(node)) return { name: node.name.text, kind: 'type' };
  if (ts.isEnumDeclaration(node)) return { name: node.name.text, kind: 'enum' };
  if (ts.isModuleDeclaration(node)) return { name: node.name.getText(source), kind: 'namespace' };
  if (ts.isVariableStatement(node)) {
    const names = node.declarationList.declarations.map((d) => (ts.isIdentifier(d.name) ? d.name.text : '{…}'));
    return { name: names.join(', '), kind: 'variable' };
  }
  return null;
}

/** A static member with a non-empty value: a string, or an array with at least one element. */
function staticMember(node: TS.ClassDeclaration, name: string): boolean {
  const ts = typescript();
  return node.members.some((m) => {
    if (!ts.isPropertyDeclaration(m) || !hasModifier(m, ts.SyntaxKind.StaticKeyword)) return false;
    if (!(ts.isIdentifier(m.name) && m.name.text === name)) return false;
    const init = m.initializer;
    if (!init) return false;
    if (ts.isStringLiteral(init) || ts.isNoSubstitutionTemplateLiteral(init)) return init.text.trim().length > 0;
    if (ts.isArrayLiteralExpression(init)) return init.elements.length > 0;
    return true; // computed (a template, a call): present, we cannot see more without running it
  });
}

/**
 * Exported top-level declarations of one source file with whether each carries a `/** … *\/` comment,
 * and the oclif commands it defines (a class extending `Command` or `…Command`) with whether they have
 * a description and examples. Parse only — no type checker, no program — so it costs a fraction of a
 * millisecond per file.
 */
export function readSourceDocs(fileName: string, text: string): SourceDocs {
  if (!typescriptAvailable()) return { exports: [], commands: [], unmeasured: true };
  const ts = typescript();
  const kind = fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, kind);
  const exports: ExportedDeclaration[] = [];
  const commands: CommandDoc[] = [];
  const line = (node: TS.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  for (const statement of source.statements) {
    if (ts.isClassDeclaration(statement) && !hasModifier(statement, ts.SyntaxKind.AbstractKeyword)) {
      const base = statement.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression.getText(source);
      if (base !== undefined && /(^|\.)\w*Command$/.test(base)) {
        commands.push({
          className: statement.name?.text ?? 'default',
          line: line(statement),
          hasDescription: staticMember(statement, 'description') || staticMember(statement, 'summary'),
          hasExamples: staticMember(statement, 'examples'),
        });
      }
    }
    if (!hasModifier(statement, ts.SyntaxKind.ExportKeyword)) continue;
    const decl = declarationName(statement, source);
    if (!decl) continue;
    exports.push({ ...decl, line: line(statement), documented: hasDocComment(text, statement) });
  }
  return { exports, commands };
}
