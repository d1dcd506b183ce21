// A small but strict SOQL reader for the queries opsbot sends:
//   SELECT f, … FROM Case [WHERE cond AND cond …] [ORDER BY f [ASC|DESC]] [LIMIT n]
//   cond := f IN (literal, …) | f (= | != | < | <= | > | >=) literal
// String literals are unescaped as Salesforce does; anything else (OR, a stray quote) is a
// MALFORMED_QUERY, so an injection that slipped through the adapter would fail loudly here.

export type Literal =
  | { type: 'string'; value: string }
  | { type: 'datetime'; value: number }
  | { type: 'number'; value: number };

export type Operator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { kind: 'in'; field: string; values: Literal[] }
  | { kind: 'compare'; field: string; op: Operator; value: Literal };

export interface SoqlQuery {
  fields: string[];
  object: string;
  where: Condition[];
  orderBy?: { field: string; direction: 'ASC' | 'DESC' };
  limit?: number;
}

export class SoqlError extends Error {
  constructor(
    readonly errorCode: 'MALFORMED_QUERY' | 'INVALID_FIELD' | 'INVALID_TYPE',
    message: string,
  ) {
    super(message);
  }
}

type Token =
  | { t: 'word'; v: string }
  | { t: 'literal'; v: Literal }
  | { t: 'punct'; v: '(' | ')' | ',' }
  | { t: 'op'; v: Operator };

const UNESCAPE: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
  // LIKE wildcards keep their backslash meaning only inside LIKE; elsewhere they are the character.
  _: '_',
  '%': '%',
};

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:?\d{2})/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const c = text.charAt(i);
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new SoqlError('MALFORMED_QUERY', 'unterminated string literal');
        const ch = text.charAt(j);
        if (ch === '\\') {
          const next = text.charAt(j + 1);
          const unescaped = UNESCAPE[next];
          if (unescaped === undefined)
            throw new SoqlError('MALFORMED_QUERY', `Invalid string literal: bad escape \\${next}`);
          value += unescaped;
          j += 2;
        } else if (ch === "'") {
          break;
        } else {
          value += ch;
          j += 1;
        }
      }
      tokens.push({ t: 'literal', v: { type: 'string', value } });
      i = j + 1;
    } else if (DATETIME.test(rest)) {
      const raw = DATETIME.exec(rest)?.[0] ?? '';
      const ms = Date.parse(raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
      if (Number.isNaN(ms)) throw new SoqlError('MALFORMED_QUERY', `invalid dateTime ${raw}`);
      tokens.push({ t: 'literal', v: { type: 'datetime', value: ms } });
      i += raw.length;
    } else if (/^-?\d/.test(rest)) {
      const raw = /^-?\d+(?:\.\d+)?/.exec(rest)?.[0] ?? '';
      tokens.push({ t: 'literal', v: { type: 'number', value: Number(raw) } });
      i += raw.length;
    } else if (/^[A-Za-z_]/.test(rest)) {
      const raw = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(rest)?.[0] ?? '';
      tokens.push({ t: 'word', v: raw });
      i += raw.length;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ t: 'punct', v: c });
      i += 1;
    } else {
      const op = /^(<=|>=|!=|<>|=|<|>)/.exec(rest)?.[0];
      if (!op) throw new SoqlError('MALFORMED_QUERY', `unexpected character ${JSON.stringify(c)}`);
      tokens.push({ t: 'op', v: op === '<>' ? '!=' : (op as Operator) });
      i += op.length;
    }
  }
  return tokens;
}

class Parser {
  #i = 0;
  constructor(private readonly tokens: Token[]) {}

  #peek(): Token | undefined {
    return this.tokens[this.#i];
  }
  #next(): Token {
    const token = this.tokens[this.#i];
    if (!token) throw new SoqlError('MALFORMED_QUERY', 'unexpected end of query');
    this.#i += 1;
    return token;
  }
  #isKeyword(word: string): boolean {
    const token = this.#peek();
    return token?.t === 'word' && token.v.toUpperCase() === word;
  }
  #keyword(word: string): void {
    const token = this.#next();
    if (token.t !== 'word' || token.v.toUpperCase() !== word) {
      throw new SoqlError('MALFORMED_QUERY', `expected ${word}, found ${describe(token)}`);
    }
  }
  #field(): string {
    const token = this.#next();
    if (token.t !== 'word')
      throw new SoqlError('MALFORMED_QUERY', `expected a field, found ${describe(token)}`);
    return token.v;
  }
  #literal(): Literal {
    const token = this.#next();
    if (token.t !== 'literal')
      throw new SoqlError('MALFORMED_QUERY', `expected a value, found ${describe(token)}`);
    return token.v;
  }
  #punct(p: '(' | ')' | ','): void {
    const token = this.#next();
    if (token.t !== 'punct' || token.v !== p)
      throw new SoqlError('MALFORMED_QUERY', `expected '${p}', found ${describe(token)}`);
  }

  parse(): SoqlQuery {
    this.#keyword('SELECT');
    const fields = [this.#field()];
    while (this.#peek()?.t === 'punct' && this.#peek()?.v === ',') {
      this.#next();
      fields.push(this.#field());
    }
    this.#keyword('FROM');
    const object = this.#field();
    const query: SoqlQuery = { fields, object, where: [] };
    if (this.#isKeyword('WHERE')) {
      this.#next();
      query.where.push(this.#condition());
      while (this.#isKeyword('AND')) {
        this.#next();
        query.where.push(this.#condition());
      }
    }
    if (this.#isKeyword('ORDER')) {
      this.#next();
      this.#keyword('BY');
      const field = this.#field();
      let direction: 'ASC' | 'DESC' = 'ASC';
      if (this.#isKeyword('ASC') || this.#isKeyword('DESC'))
        direction = this.#field().toUpperCase() as 'ASC' | 'DESC';
      query.orderBy = { field, direction };
    }
    if (this.#isKeyword('LIMIT')) {
      this.#next();
      const n = this.#literal();
      if (n.type !== 'number') throw new SoqlError('MALFORMED_QUERY', 'LIMIT expects a number');
      query.limit = n.value;
    }
    const extra = this.#peek();
    if (extra) throw new SoqlError('MALFORMED_QUERY', `unexpected token: ${describe(extra)}`);
    return query;
  }

  #condition(): Condition {
    const field = this.#field();
    if (this.#isKeyword('IN')) {
      this.#next();
      this.#punct('(');
      const values = [this.#literal()];
      while (this.#peek()?.t === 'punct' && this.#peek()?.v === ',') {
        this.#next();
        values.push(this.#literal());
      }
      this.#punct(')');
      return { kind: 'in', field, values };
    }
    const op = this.#next();
    if (op.t !== 'op') throw new SoqlError('MALFORMED_QUERY', `unexpected token: ${describe(op)}`);
    return { kind: 'compare', field, op: op.v, value: this.#literal() };
  }
}

function describe(token: Token): string {
  if (token.t === 'literal') return token.v.type === 'string' ? `'${token.v.value}'` : String(token.v.value);
  return token.v;
}

export function parseSoql(text: string): SoqlQuery {
  return new Parser(tokenize(text)).parse();
}

/** Compares a stored value with a literal; a type mismatch is the error Salesforce gives. */
export function matches(field: string, actual: string | number | null, cond: Condition): boolean {
  const check = (lit: Literal) => {
    if (typeof actual === 'number' && lit.type !== 'datetime') {
      throw new SoqlError(
        'INVALID_FIELD',
        `value of filter criterion for field '${field}' must be of type dateTime and should not be enclosed in quotes`,
      );
    }
    if (typeof actual !== 'number' && lit.type === 'datetime') {
      throw new SoqlError(
        'INVALID_FIELD',
        `value of filter criterion for field '${field}' must be of type string`,
      );
    }
  };
  if (cond.kind === 'in') {
    cond.values.forEach(check);
    return cond.values.some((v) => equal(actual, v));
  }
  check(cond.value);
  if (actual === null) return cond.op === '!=' ? cond.value.value !== null : false;
  const a = actual;
  const b = cond.value.value;
  switch (cond.op) {
    case '=':
      return equal(actual, cond.value);
    case '!=':
      return !equal(actual, cond.value);
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

// Salesforce compares ids and text case-insensitively in filters; 15- and 18-char ids match.
function equal(actual: string | number | null, lit: Literal): boolean {
  if (actual === null) return false;
  if (typeof actual === 'number') return actual === lit.value;
  const b = String(lit.value);
  if (/^[a-zA-Z0-9]{18}$/.test(actual) && /^[a-zA-Z0-9]{15}$/.test(b)) return actual.slice(0, 15) === b;
  return actual.toLowerCase() === b.toLowerCase();
}
