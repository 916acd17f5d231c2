import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Finds SQL built from values instead of bound parameters: calls to `.prepare(…)`, `.exec(…)` and `.pragma(…)`
 * whose SQL argument is not a compile-time constant. Constant means: string literals, templates and `+`
 * whose every part is constant, a `cond ? a : b` choosing between constants (the condition only picks among
 * fixed texts), and `const` names in the same file bound to a constant (or looping over an array of them).
 * Anything else must be a reviewed entry of the allowlist, or the audit fails naming file:line. `.exec` on a
 * regular expression is not SQL.
 *
 * A function that hands one of its parameters to `.prepare` (a statement cache such as `prepared(db, sql)`)
 * is a wrapper: it is not reported itself, and every call to it by name is audited at that argument instead.
 */
export type SqlFinding = { readonly file: string; readonly line: number; readonly method: string; readonly why: string; readonly text: string };

/** A reviewed substitution: in `file`, the interpolated expression `expression` (source text) is safe because `reason`. */
export type AllowedSubstitution = { readonly file: string; readonly expression: string; readonly reason: string };

const SQL_METHODS = new Set(['prepare', 'exec', 'pragma']);

/**
 * Functions (by name) that pass their argument at `index` to a SQL method. A wrapper applies in its own file,
 * and, when exported, in the files that import it by that name (so two unrelated `count`s stay apart).
 */
export type Wrapper = { readonly index: number; readonly file: string; readonly exported: boolean };
export type Wrappers = ReadonlyMap<string, Wrapper>;

export function auditSource(file: string, source: string, allow: readonly AllowedSubstitution[] = [], wrappers: Wrappers = new Map()): SqlFinding[] {
  return analyse(file, source, allow, wrappers).findings;
}

export function analyse(file: string, source: string, allow: readonly AllowedSubstitution[], wrappers: Wrappers): { findings: SqlFinding[]; wrappers: Map<string, Wrapper>; calls: number } {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const consts = new Map<string, ts.Expression>();
  const imported = new Set<string>();
  for (const st of sf.statements) {
    const named = ts.isImportDeclaration(st) ? st.importClause?.namedBindings : undefined;
    if (named && ts.isNamedImports(named)) for (const el of named.elements) imported.add(el.name.text);
  }
  const wrapperHere = (name: string): Wrapper | undefined => {
    const w = wrappers.get(name);
    return w && (w.file === file || (w.exported && imported.has(name))) ? w : undefined;
  };
  const regexNames = new Set<string>();
  const collect = (node: ts.Node): void => {
    if (ts.isVariableDeclarationList(node) && (node.flags & ts.NodeFlags.Const) !== 0) {
      for (const d of node.declarations) {
        if (!ts.isIdentifier(d.name) || !d.initializer) continue;
        // The same name may be declared const in two functions: keep only names that are unambiguous.
        consts.set(d.name.text, consts.has(d.name.text) ? ts.factory.createIdentifier('__ambiguous__') : d.initializer);
        if (isRegex(d.initializer)) regexNames.add(d.name.text);
      }
    }
    // for (const level of [0, 2, 3]): the name takes only the array's values.
    if (ts.isForOfStatement(node) && ts.isVariableDeclarationList(node.initializer) && (node.initializer.flags & ts.NodeFlags.Const) !== 0) {
      const d = node.initializer.declarations[0];
      if (d && ts.isIdentifier(d.name) && ts.isArrayLiteralExpression(node.expression)) consts.set(d.name.text, consts.has(d.name.text) ? ts.factory.createIdentifier('__ambiguous__') : node.expression);
    }
    ts.forEachChild(node, collect);
  };
  collect(sf);

  const allowed = (expr: ts.Expression): boolean => allow.some((a) => a.file === file && a.expression === expr.getText(sf));

  /** Why `expr` is not a constant, or undefined when it is. */
  const problem = (expr: ts.Expression, seen: Set<string>): string | undefined => {
    const e = skipParens(expr);
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isNumericLiteral(e)) return undefined;
    if (ts.isTemplateExpression(e)) {
      for (const span of e.templateSpans) {
        if (allowed(span.expression)) continue;
        const p = problem(span.expression, seen);
        if (p !== undefined) return `interpolates \`${span.expression.getText(sf)}\` (${p})`;
      }
      return undefined;
    }
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      for (const side of [e.left, e.right]) {
        if (allowed(side)) continue;
        const p = problem(side, seen);
        if (p !== undefined) return `concatenates \`${side.getText(sf)}\` (${p})`;
      }
      return undefined;
    }
    if (ts.isConditionalExpression(e)) return problem(e.whenTrue, seen) ?? problem(e.whenFalse, seen);
    if (ts.isArrayLiteralExpression(e)) {
      for (const el of e.elements) {
        const p = problem(el, seen);
        if (p !== undefined) return p;
      }
      return undefined;
    }
    if (ts.isIdentifier(e)) {
      const init = consts.get(e.text);
      if (init === undefined || seen.has(e.text)) return 'not a constant of this file';
      return problem(init, new Set([...seen, e.text]));
    }
    return 'a value computed at run time';
  };

  /** The parts of `expr` that are not constant (template substitutions, `+` operands, or `expr` itself). */
  const failingLeaves = (expr: ts.Expression): ts.Expression[] => {
    const e = skipParens(expr);
    const parts = ts.isTemplateExpression(e) ? e.templateSpans.map((t) => t.expression) : ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken ? [e.left, e.right] : undefined;
    if (parts === undefined) return [e];
    return parts.filter((x) => !allowed(x) && problem(x, new Set()) !== undefined).flatMap((x) => failingLeaves(x));
  };

  const findings: SqlFinding[] = [];
  const found = new Map<string, Wrapper>();
  let calls = 0;
  const check = (node: ts.CallExpression, method: string, sql: ts.Expression | undefined): void => {
    calls++;
    if (sql === undefined || allowed(sql)) return;
    const why = problem(sql, new Set());
    if (why === undefined) return;
    // SQL made from a parameter of the enclosing function (`(table) => all(`… FROM ${table}`)`): audit its callers.
    const params = failingLeaves(sql).map((leaf) => (ts.isIdentifier(leaf) ? enclosingParameter(leaf) : undefined));
    const [first] = params;
    if (first && params.every((q) => q !== undefined && q.fn === first.fn && q.index === first.index)) {
      found.set(first.fn, { index: first.index, file, exported: first.exported });
      return;
    }
    const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    findings.push({ file, line: line + 1, method, why, text: node.getText(sf).split('\n')[0] ?? '' });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (ts.isPropertyAccessExpression(callee) && SQL_METHODS.has(callee.name.text)) {
        const receiver = skipParens(callee.expression);
        const onRegex = callee.name.text === 'exec' && (isRegex(receiver) || (ts.isIdentifier(receiver) && regexNames.has(receiver.text)));
        if (!onRegex) check(node, callee.name.text, node.arguments[0]);
      } else if (ts.isIdentifier(callee)) {
        const w = wrapperHere(callee.text);
        if (w) check(node, callee.text, node.arguments[w.index]);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { findings, wrappers: found, calls };
}

/** When `id` is a parameter of the function it is used in: that function's name and the parameter's index. */
function enclosingParameter(id: ts.Identifier): { fn: string; index: number; exported: boolean } | undefined {
  for (let n: ts.Node | undefined = id.parent; n; n = n.parent) {
    if (ts.isFunctionDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n)) {
      const index = n.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === id.text);
      if (index < 0) return undefined;
      const name = ts.isFunctionDeclaration(n) ? n.name?.text : ts.isVariableDeclaration(n.parent) && ts.isIdentifier(n.parent.name) ? n.parent.name.text : undefined;
      const statement = ts.isFunctionDeclaration(n) ? n : n.parent.parent?.parent;
      const exported = statement !== undefined && ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      return name === undefined ? undefined : { fn: name, index, exported };
    }
  }
  return undefined;
}

function skipParens(e: ts.Expression): ts.Expression {
  let x = e;
  while (ts.isParenthesizedExpression(x) || ts.isAsExpression(x) || ts.isNonNullExpression(x)) x = x.expression;
  return x;
}

function isRegex(e: ts.Expression): boolean {
  const x = skipParens(e);
  return ts.isRegularExpressionLiteral(x) || (ts.isNewExpression(x) && ts.isIdentifier(x.expression) && x.expression.text === 'RegExp');
}

/** Every `.ts` file under `dirs` (repo-relative), audited; wrappers found in one file are audited in all. */
export function auditTree(repo: string, dirs: readonly string[], allow: readonly AllowedSubstitution[]): { files: number; calls: number; wrappers: Map<string, Wrapper>; findings: SqlFinding[] } {
  const sources: [string, string][] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) sources.push([path.relative(repo, p).split(path.sep).join('/'), fs.readFileSync(p, 'utf8')]);
    }
  };
  for (const d of dirs) walk(path.join(repo, d));
  // Wrappers can wrap wrappers: repeat until no new one appears.
  const wrappers = new Map<string, Wrapper>();
  for (;;) {
    const before = wrappers.size;
    for (const [file, source] of sources) for (const [name, w] of analyse(file, source, allow, wrappers).wrappers) wrappers.set(name, w);
    if (wrappers.size === before) break;
  }
  let calls = 0;
  const findings: SqlFinding[] = [];
  for (const [file, source] of sources) {
    const r = analyse(file, source, allow, wrappers);
    calls += r.calls;
    findings.push(...r.findings);
  }
  return { files: sources.length, calls, wrappers, findings };
}
