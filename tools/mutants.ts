/**
 * Mutants of a TypeScript source: small, single edits (an operator flipped, a condition forced,
 * a statement dropped) that a test suite should notice. Generated from the TypeScript AST, so
 * types, imports, strings and comments are never touched.
 *
 * @module
 */
import ts from "typescript";

/** One single-edit variant of a source text. */
export interface Mutant {
  /** What was changed, e.g. `"=== → !=="`, `"if → true"`, `"drop statement"`. */
  kind: string;
  /** 1-based line and column of the edit. */
  line: number;
  column: number;
  /** Offsets of the replaced text in the original source. */
  start: number;
  end: number;
  /** The original text and its replacement. */
  from: string;
  to: string;
}

const FLIPS: Partial<Record<ts.SyntaxKind, string>> = {
  [ts.SyntaxKind.EqualsEqualsEqualsToken]: "!==",
  [ts.SyntaxKind.ExclamationEqualsEqualsToken]: "===",
  [ts.SyntaxKind.EqualsEqualsToken]: "!=",
  [ts.SyntaxKind.ExclamationEqualsToken]: "==",
  [ts.SyntaxKind.LessThanToken]: "<=",
  [ts.SyntaxKind.LessThanEqualsToken]: "<",
  [ts.SyntaxKind.GreaterThanToken]: ">=",
  [ts.SyntaxKind.GreaterThanEqualsToken]: ">",
  [ts.SyntaxKind.AmpersandAmpersandToken]: "||",
  [ts.SyntaxKind.BarBarToken]: "&&",
  [ts.SyntaxKind.QuestionQuestionToken]: "&&",
  [ts.SyntaxKind.PlusToken]: "-",
  [ts.SyntaxKind.MinusToken]: "+",
  [ts.SyntaxKind.AsteriskToken]: "/",
  [ts.SyntaxKind.SlashToken]: "*",
  [ts.SyntaxKind.PercentToken]: "*",
  [ts.SyntaxKind.AmpersandToken]: "|",
  [ts.SyntaxKind.BarToken]: "&",
  [ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken]: ">>",
  [ts.SyntaxKind.AmpersandAmpersandEqualsToken]: "||=",
  [ts.SyntaxKind.BarBarEqualsToken]: "&&=",
  [ts.SyntaxKind.QuestionQuestionEqualsToken]: "=",
  [ts.SyntaxKind.PlusEqualsToken]: "-=",
  [ts.SyntaxKind.MinusEqualsToken]: "+=",
};

function isStringy(node: ts.Expression): boolean {
  return ts.isStringLiteral(node) || ts.isTemplateExpression(node) ||
    ts.isNoSubstitutionTemplateLiteral(node);
}

/** Whether a literal names a property (`{ 0: x }`, `x = { 1() {} }`) rather than a value. */
function isKey(node: ts.Node): boolean {
  const p = node.parent as ts.Node & { name?: ts.Node };
  return p.name === node;
}

/** Whether a statement is one whose removal is a meaningful mutant. */
function droppable(node: ts.Node): boolean {
  if (ts.isThrowStatement(node) || ts.isReturnStatement(node)) return true;
  if (ts.isBreakStatement(node) || ts.isContinueStatement(node)) return true;
  if (!ts.isExpressionStatement(node)) return false;
  // A directive prologue ("use strict") is a string, not an effect.
  return !isStringy(node.expression);
}

/** Lists the mutants of `source` (TypeScript text) in source order. */
export function mutantsOf(source: string, fileName = "source.ts"): Mutant[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const out: Mutant[] = [];
  const add = (kind: string, start: number, end: number, to: string) => {
    const { line, character } = file.getLineAndCharacterOfPosition(start);
    out.push({
      kind,
      line: line + 1,
      column: character + 1,
      start,
      end,
      from: source.slice(start, end),
      to,
    });
  };
  const forceCondition = (keyword: string, cond: ts.Expression) => {
    for (const value of ["true", "false"]) {
      if (cond.getText(file) !== value) {
        add(`${keyword} → ${value}`, cond.getStart(file), cond.getEnd(), value);
      }
    }
  };
  const visit = (node: ts.Node): void => {
    // Types, imports and exports carry no behaviour to mutate.
    if (
      ts.isTypeNode(node) || ts.isImportDeclaration(node) || ts.isExportDeclaration(node) ||
      ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) ||
      ts.isEnumDeclaration(node) || ts.isModuleDeclaration(node)
    ) return;
    if (ts.isBinaryExpression(node)) {
      const op = node.operatorToken;
      const to = FLIPS[op.kind];
      // `+` on strings is text joining, not arithmetic: flipping it only breaks messages.
      const text = op.kind === ts.SyntaxKind.PlusToken &&
        (isStringy(node.left) || isStringy(node.right));
      if (to && !text) add(`${op.getText(file)} → ${to}`, op.getStart(file), op.getEnd(), to);
    } else if (
      ts.isPrefixUnaryExpression(node) &&
      (node.operator === ts.SyntaxKind.ExclamationToken ||
        node.operator === ts.SyntaxKind.MinusToken)
    ) {
      const sign = node.operator === ts.SyntaxKind.ExclamationToken ? "!" : "-";
      add(`drop ${sign}`, node.getStart(file), node.operand.getStart(file), "");
    } else if (node.kind === ts.SyntaxKind.TrueKeyword) {
      add("true → false", node.getStart(file), node.getEnd(), "false");
    } else if (node.kind === ts.SyntaxKind.FalseKeyword) {
      add("false → true", node.getStart(file), node.getEnd(), "true");
    } else if (ts.isNumericLiteral(node) && !isKey(node)) {
      const n = Number(node.text);
      if (Number.isFinite(n)) {
        add(`${node.text} → ${n + 1}`, node.getStart(file), node.getEnd(), String(n + 1));
      }
    } else if (ts.isIfStatement(node)) {
      forceCondition("if", node.expression);
    } else if (ts.isConditionalExpression(node)) {
      forceCondition("?:", node.condition);
    } else if (ts.isWhileStatement(node) || ts.isDoStatement(node)) {
      add("while → false", node.expression.getStart(file), node.expression.getEnd(), "false");
    }
    if (
      (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) ||
        ts.isCallExpression(node)) && node.questionDotToken
    ) {
      const q = node.questionDotToken;
      // `a?.b` → `a.b`, `a?.[b]` → `a[b]`, `f?.()` → `f()`.
      const to = ts.isPropertyAccessExpression(node) ? "." : "";
      add("?. → .", q.getStart(file), q.getEnd(), to);
    }
    if (droppable(node)) {
      add("drop statement", node.getStart(file), node.getEnd(), ";");
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** The source with one mutant applied. */
export function applyMutant(source: string, m: Mutant): string {
  return source.slice(0, m.start) + m.to + source.slice(m.end);
}
