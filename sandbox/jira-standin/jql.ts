// A small, strict JQL reader for the stand-in: enough of the language for what the bot (and a person
// poking at the sandbox) sends — `field op value` clauses joined by AND/OR/NOT with parentheses, quoted
// strings with backslash escapes, IN lists, ORDER BY. Anything else is a 400, as in Jira, so a query the
// real Jira would reject does not quietly "work" here.

export type JqlValue = { kind: 'string'; value: string } | { kind: 'word'; value: string };

export type JqlExpr =
  | { type: 'and'; left: JqlExpr; right: JqlExpr }
  | { type: 'or'; left: JqlExpr; right: JqlExpr }
  | { type: 'not'; expr: JqlExpr }
  | { type: 'clause'; field: string; op: JqlOp; values: JqlValue[] };

export type JqlOp = '=' | '!=' | '>=' | '<=' | '>' | '<' | '~' | 'in' | 'not in';

export interface JqlQuery {
  where: JqlExpr | undefined;
  orderBy: { field: string; desc: boolean }[];
}

export class JqlError extends Error {}

type Token =
  | { t: 'str'; v: string }
  | { t: 'word'; v: string }
  | { t: 'op'; v: string }
  | { t: 'lp' }
  | { t: 'rp' }
  | { t: 'comma' };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '"' || c === "'") {
      let value = '';
      i += 1;
      for (;;) {
        if (i >= src.length)
          throw new JqlError(`Error in the JQL Query: The quoted string '${value}' has not been completed.`);
        const ch = src[i] as string;
        if (ch === '\\') {
          const next = src[i + 1];
          if (next === undefined) throw new JqlError('Error in the JQL Query: unterminated escape.');
          value += next;
          i += 2;
        } else if (ch === c) {
          i += 1;
          break;
        } else {
          value += ch;
          i += 1;
        }
      }
      tokens.push({ t: 'str', v: value });
    } else if (c === '(') {
      tokens.push({ t: 'lp' });
      i += 1;
    } else if (c === ')') {
      tokens.push({ t: 'rp' });
      i += 1;
    } else if (c === ',') {
      tokens.push({ t: 'comma' });
      i += 1;
    } else {
      const op = /^(!=|>=|<=|=|>|<|~)/.exec(src.slice(i))?.[1];
      if (op) {
        tokens.push({ t: 'op', v: op });
        i += op.length;
        continue;
      }
      const word = /^[A-Za-z0-9_.\-[\]/:]+/.exec(src.slice(i))?.[0];
      if (!word)
        throw new JqlError(`Error in the JQL Query: The character '${c}' is a reserved JQL character.`);
      tokens.push({ t: 'word', v: word });
      i += word.length;
    }
  }
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private isWord(word: string, offset = 0): boolean {
    const token = this.tokens[this.pos + offset];
    return token?.t === 'word' && token.v.toLowerCase() === word;
  }

  parse(): JqlQuery {
    const where = this.peek() && !this.isWord('order') ? this.or() : undefined;
    const orderBy: JqlQuery['orderBy'] = [];
    if (this.isWord('order')) {
      this.pos += 1;
      if (!this.isWord('by')) throw new JqlError("Error in the JQL Query: Expecting 'by' after 'order'.");
      this.pos += 1;
      do {
        if (this.peek()?.t === 'comma') this.pos += 1;
        const field = this.tokens[this.pos];
        if (field?.t !== 'word')
          throw new JqlError('Error in the JQL Query: Expecting a field name after ORDER BY.');
        this.pos += 1;
        let desc = false;
        if (this.isWord('asc') || this.isWord('desc')) {
          desc = this.isWord('desc');
          this.pos += 1;
        }
        orderBy.push({ field: field.v.toLowerCase(), desc });
      } while (this.peek()?.t === 'comma');
    }
    if (this.peek())
      throw new JqlError("Error in the JQL Query: Expecting either 'OR' or 'AND' but got more input.");
    return { where, orderBy };
  }

  private or(): JqlExpr {
    let left = this.and();
    while (this.isWord('or')) {
      this.pos += 1;
      left = { type: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): JqlExpr {
    let left = this.not();
    while (this.isWord('and')) {
      this.pos += 1;
      left = { type: 'and', left, right: this.not() };
    }
    return left;
  }

  private not(): JqlExpr {
    if (this.isWord('not')) {
      this.pos += 1;
      return { type: 'not', expr: this.not() };
    }
    if (this.peek()?.t === 'lp') {
      this.pos += 1;
      const expr = this.or();
      if (this.peek()?.t !== 'rp') throw new JqlError("Error in the JQL Query: Expecting ')'.");
      this.pos += 1;
      return expr;
    }
    return this.clause();
  }

  private value(): JqlValue {
    const token = this.peek();
    if (token?.t === 'str') {
      this.pos += 1;
      return { kind: 'string', value: token.v };
    }
    if (token?.t === 'word' && !['and', 'or', 'order'].includes(token.v.toLowerCase())) {
      this.pos += 1;
      return { kind: 'word', value: token.v };
    }
    throw new JqlError('Error in the JQL Query: Expecting a value.');
  }

  private clause(): JqlExpr {
    const field = this.peek();
    if (field?.t !== 'word') throw new JqlError('Error in the JQL Query: Expecting a field name.');
    this.pos += 1;
    let op: JqlOp;
    const token = this.peek();
    if (token?.t === 'op') {
      op = token.v as JqlOp;
      this.pos += 1;
    } else if (this.isWord('in')) {
      op = 'in';
      this.pos += 1;
    } else if (this.isWord('not') && this.isWord('in', 1)) {
      op = 'not in';
      this.pos += 2;
    } else {
      throw new JqlError(`Error in the JQL Query: Expecting operator after '${field.v}'.`);
    }
    if (op !== 'in' && op !== 'not in') return { type: 'clause', field: field.v, op, values: [this.value()] };
    if (this.peek()?.t !== 'lp') throw new JqlError("Error in the JQL Query: Expecting '(' after IN.");
    this.pos += 1;
    const values = [this.value()];
    while (this.peek()?.t === 'comma') {
      this.pos += 1;
      values.push(this.value());
    }
    if (this.peek()?.t !== 'rp')
      throw new JqlError("Error in the JQL Query: Expecting ')' to close the list.");
    this.pos += 1;
    return { type: 'clause', field: field.v, op, values };
  }
}

export function parseJql(src: string): JqlQuery {
  return new Parser(tokenize(src)).parse();
}

const DATE = /^(\d{4})[/-](\d{2})[/-](\d{2})(?: (\d{2}):(\d{2}))?$/;
const RELATIVE = /^([-+]?)(\d+)([mhdw])$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** A JQL date value → epoch ms (the stand-in's users all have the UTC profile time zone). */
export function jqlDateValue(raw: string, field: string, now: number): number {
  const absolute = DATE.exec(raw);
  if (absolute) {
    const [, y, mo, d, h = '00', mi = '00'] = absolute;
    return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
  }
  const relative = RELATIVE.exec(raw);
  if (relative) {
    const [, sign, amount, unit] = relative;
    const delta = Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
    return sign === '-' ? now - delta : now + delta;
  }
  throw new JqlError(
    `Date value '${raw}' for field '${field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`,
  );
}
