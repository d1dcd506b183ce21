// JQL evaluation over the stand-in's issues: the fields the bot queries (project, labels, updated,
// created, status, key, issue.property[x].path, summary ~) with Jira's errors for unknown fields and
// for projects that do not exist.
import { JqlError, type JqlExpr, type JqlOp, type JqlValue, jqlDateValue, parseJql } from './jql.js';
import type { JiraState } from './state.js';
import type { StoredIssue } from './types.js';

const PROPERTY_FIELD = /^issue\.property\[([A-Za-z0-9_.-]+)\]\.([A-Za-z0-9_.]+)$/i;

function compare(op: JqlOp, actual: number, expected: number): boolean {
  switch (op) {
    case '=':
      return actual === expected;
    case '!=':
      return actual !== expected;
    case '>=':
      return actual >= expected;
    case '<=':
      return actual <= expected;
    case '>':
      return actual > expected;
    case '<':
      return actual < expected;
    default:
      throw new JqlError(`The operator '${op}' is not supported by this field.`);
  }
}

function equalityOnly(op: JqlOp, field: string): void {
  if (!['=', '!=', 'in', 'not in'].includes(op)) {
    throw new JqlError(`The operator '${op.toUpperCase()}' is not supported by the '${field}' field.`);
  }
}

/** `=`/`IN` against a single- or multi-valued field; `!=`/`NOT IN` negate it. */
function matchAny(op: JqlOp, actual: string[], values: JqlValue[], caseInsensitive: boolean): boolean {
  const norm = (s: string) => (caseInsensitive ? s.toLowerCase() : s);
  const hit = values.some((v) => actual.map(norm).includes(norm(v.value)));
  return op === '=' || op === 'in' ? hit : !hit;
}

function readProperty(issue: StoredIssue, key: string, path: string): unknown {
  let cursor: unknown = issue.properties[key];
  for (const segment of path.split('.')) {
    if (typeof cursor !== 'object' || cursor === null) return undefined;
    cursor = (cursor as Record<string, unknown>)[segment];
  }
  return cursor;
}

export class JqlEvaluator {
  constructor(private readonly state: JiraState) {}

  /** Parses and validates once (400-worthy problems throw JqlError), then returns the matching issues. */
  search(jql: string): StoredIssue[] {
    const query = parseJql(jql);
    if (query.where) this.validate(query.where);
    const matched = [...this.state.issues.values()].filter(
      (issue) => !query.where || this.matches(issue, query.where),
    );
    const order = query.orderBy[0] ?? { field: 'key', desc: true };
    const value = (i: StoredIssue): number =>
      order.field === 'updated' ? i.updated : order.field === 'created' ? i.created : Number(i.id);
    return matched.sort((a, b) => (order.desc ? value(b) - value(a) : value(a) - value(b)));
  }

  /** Jira rejects references to things that do not exist before running anything. */
  private validate(expr: JqlExpr): void {
    if (expr.type === 'and' || expr.type === 'or') {
      this.validate(expr.left);
      this.validate(expr.right);
      return;
    }
    if (expr.type === 'not') {
      this.validate(expr.expr);
      return;
    }
    const field = expr.field.toLowerCase();
    if (field === 'project') {
      for (const v of expr.values) {
        if (!this.state.projectExists(v.value)) {
          throw new JqlError(`The value '${v.value}' does not exist for the field 'project'.`);
        }
      }
    }
    const now = this.state.now();
    if (field === 'updated' || field === 'created')
      for (const v of expr.values) jqlDateValue(v.value, field, now);
  }

  private matches(issue: StoredIssue, expr: JqlExpr): boolean {
    switch (expr.type) {
      case 'and':
        return this.matches(issue, expr.left) && this.matches(issue, expr.right);
      case 'or':
        return this.matches(issue, expr.left) || this.matches(issue, expr.right);
      case 'not':
        return !this.matches(issue, expr.expr);
      case 'clause':
        return this.clause(issue, expr.field, expr.op, expr.values);
    }
  }

  private clause(issue: StoredIssue, rawField: string, op: JqlOp, values: JqlValue[]): boolean {
    const field = rawField.toLowerCase();
    switch (field) {
      case 'project':
        equalityOnly(op, rawField);
        return matchAny(op, [issue.projectKey], values, true);
      case 'labels':
        equalityOnly(op, rawField);
        return matchAny(op, issue.labels, values, false);
      case 'status':
        equalityOnly(op, rawField);
        return matchAny(op, [issue.status], values, true);
      case 'key':
      case 'issuekey':
        equalityOnly(op, rawField);
        return matchAny(op, [issue.key, issue.id], values, true);
      case 'updated':
      case 'created': {
        const actual = field === 'updated' ? issue.updated : issue.created;
        const now = this.state.now();
        return values.some((v) => compare(op, actual, jqlDateValue(v.value, field, now)));
      }
      case 'summary':
        if (op !== '~')
          throw new JqlError(`The operator '${op.toUpperCase()}' is not supported by the 'summary' field.`);
        return values.some((v) => issue.summary.toLowerCase().includes(v.value.toLowerCase()));
      default: {
        const property = PROPERTY_FIELD.exec(rawField);
        if (!property) {
          throw new JqlError(`Field '${rawField}' does not exist or you do not have permission to view it.`);
        }
        equalityOnly(op, rawField);
        const actual = readProperty(issue, property[1] as string, property[2] as string);
        if (actual === undefined || actual === null) return op === '!=' || op === 'not in';
        return matchAny(op, [String(actual)], values, false);
      }
    }
  }
}
