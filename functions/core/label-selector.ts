/**
 * Label selectors as kubectl's `-l/--selector` takes them, read with the grammar of
 * k8s.io/apimachinery's `labels.Parse`: requirements separated by commas (all must hold), each
 * `key=value`, `key==value`, `key!=value`, `key in (a,b)`, `key notin (a,b)`, `key`, `!key`,
 * `key>N` or `key<N`; keys are qualified names and values label values, as the API server
 * checks them. Pure: the CLI refuses a malformed selector before anything is read, and the
 * API server does the matching (`labelSelector` on the list request).
 */

/** One requirement of a selector. */
export type LabelRequirement =
  | {key: string; op: '=' | '==' | '!='; value: string}
  | {key: string; op: 'in' | 'notin'; values: string[]}
  | {key: string; op: 'exists' | '!'}
  | {key: string; op: '>' | '<'; value: string};

/** A parsed selector: every requirement must hold. */
export interface LabelSelector {
  requirements: LabelRequirement[];
}

type Parsed = {ok: true; selector: LabelSelector} | {ok: false; problem: string};

type Token =
  | {type: 'identifier'; text: string}
  | {type: 'in' | 'notin'; text: string}
  | {type: '!=' | '!' | '==' | '=' | '>' | '<' | '(' | ')' | ','; text: string}
  | {type: 'end'; text: 'end of string'};

// apimachinery's special symbols; the longest match wins ("!=" before "!", "==" before "=").
const SYMBOLS = ['!=', '==', '!', '=', '>', '<', '(', ')', ','] as const;
const SYMBOL_CHARS = new Set('=!()<>,');
const WHITESPACE = new Set(' \t\r\n');

/** The tokens of a selector, `in`/`notin` kept as words (what they are depends on position). */
function tokensOf(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (WHITESPACE.has(ch)) {
      i++;
      continue;
    }
    const symbol = SYMBOLS.find(s => text.startsWith(s, i));
    if (symbol !== undefined) {
      tokens.push({type: symbol, text: symbol});
      i += symbol.length;
      continue;
    }
    let end = i;
    while (end < text.length && !WHITESPACE.has(text[end] as string)) {
      if (SYMBOL_CHARS.has(text[end] as string)) break;
      end++;
    }
    tokens.push({type: 'identifier', text: text.slice(i, end)});
    i = end;
  }
  tokens.push({type: 'end', text: 'end of string'});
  return tokens;
}

// Validation as the API server does it (apimachinery validation: IsQualifiedName, IsValidLabelValue).
const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const NAME_MAX_CHARS = 63;
const PREFIX_MAX_CHARS = 253;
const INT64_MAX = 2n ** 63n - 1n;

function keyProblem(key: string): string | null {
  const slash = key.indexOf('/');
  const prefix = slash < 0 ? null : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== null && (prefix.length > PREFIX_MAX_CHARS || !DNS_SUBDOMAIN.test(prefix))) {
    return `invalid label key "${key}": the prefix must be a DNS subdomain (e.g. example.com)`;
  }
  if (name.length > NAME_MAX_CHARS || !NAME_PART.test(name)) {
    return `invalid label key "${key}": a name of at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit (e.g. app, team.tier)`;
  }
  return null;
}

function valueProblem(key: string, value: string): string | null {
  if (value === '') return null;
  if (value.length > NAME_MAX_CHARS || !NAME_PART.test(value)) {
    return `invalid value "${value}" for label "${key}": at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
  }
  return null;
}

class SelectorSyntaxError extends Error {}

/** Reads a selector; `problem` says what is wrong the way `kubectl` does. "" selects everything. */
export function parseLabelSelector(text: string): Parsed {
  const tokens = tokensOf(text);
  let at = 0;
  const peek = (): Token => tokens[at] as Token;
  const next = (): Token => tokens[at++] as Token;
  const fail = (message: string): never => {
    throw new SelectorSyntaxError(message);
  };
  // A word is `in`/`notin` only where an operator is expected (apimachinery's KeyAndOperator mode).
  const operatorWord = (token: Token): Token =>
    token.type === 'identifier' && (token.text === 'in' || token.text === 'notin')
      ? {type: token.text, text: token.text}
      : token;

  // apimachinery's parseValues / parseIdentifiersList, including their quirks: `()` is the set
  // of the empty value, `(,)` and `(a,)` hold an empty member, and a `,,` pair just before the
  // `)` is refused (kubectl says so; the API server would refuse it too).
  const valueList = (key: string): string[] => {
    const open = next();
    if (open.type !== '(') fail(`found '${open.text}', expected: '('`);
    const values: string[] = [];
    const first = peek();
    if (first.type === ')') {
      values.push('');
    } else if (first.type === 'identifier' || first.type === ',') {
      for (;;) {
        const token = next();
        if (token.type === 'identifier') {
          values.push(token.text);
          const after = peek();
          if (after.type === ')') break;
          if (after.type !== ',') fail(`found '${after.text}', expected: ',' or ')'`);
        } else if (token.type === ',') {
          if (values.length === 0) values.push('');
          const after = peek();
          if (after.type === ')') {
            values.push('');
            break;
          }
          if (after.type === ',') {
            next();
            values.push('');
          }
        } else {
          fail(`found '${token.text}', expected: ',', or identifier`);
        }
      }
    } else {
      fail(`found '${first.text}', expected: ',', ')' or identifier`);
    }
    next();
    for (const value of values) {
      const problem = valueProblem(key, value);
      if (problem !== null) fail(problem);
    }
    return [...new Set(values)];
  };

  const requirement = (): LabelRequirement => {
    const negated = peek().type === '!';
    if (negated) next();
    const keyToken = next();
    if (keyToken.type !== 'identifier') fail(`found '${keyToken.text}', expected: identifier`);
    const key = keyToken.text;
    const problem = keyProblem(key);
    if (problem !== null) fail(problem);
    if (negated) return {key, op: '!'};
    const after = peek();
    if (after.type === 'end' || after.type === ',') return {key, op: 'exists'};
    const op = operatorWord(next());
    switch (op.type) {
      case 'in':
      case 'notin':
        return {key, op: op.type, values: valueList(key)};
      case '=':
      case '==':
      case '!=': {
        const value = peek();
        // `key=` selects an empty value.
        if (value.type === 'end' || value.type === ',') return {key, op: op.type, value: ''};
        next();
        if (value.type !== 'identifier') fail(`found '${value.text}', expected: identifier`);
        const bad = valueProblem(key, value.text);
        if (bad !== null) fail(bad);
        return {key, op: op.type, value: value.text};
      }
      case '>':
      case '<': {
        const value = next();
        // Go's ParseInt (a 64-bit integer) that is also a label value: digits only, no sign.
        if (
          value.type !== 'identifier' ||
          !/^[0-9]{1,63}$/.test(value.text) ||
          BigInt(value.text) > INT64_MAX
        ) {
          fail(`for '>', '<' operators, the value must be an integer; found '${value.text}'`);
        }
        return {key, op: op.type, value: value.text};
      }
      default:
        return fail(`found '${op.text}', expected: one of !=, <, =, ==, >, in, notin`);
    }
  };

  try {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const token = peek();
      if (token.type === 'end') break;
      if (token.type !== 'identifier' && token.type !== '!') {
        fail(`found '${token.text}', expected: !, identifier, or 'end of string'`);
      }
      requirements.push(requirement());
      const separator = next();
      if (separator.type === 'end') break;
      if (separator.type !== ',') {
        fail(`found '${separator.text}', expected: ',' or 'end of string'`);
      }
      const following = peek();
      if (following.type !== 'identifier' && following.type !== '!') {
        fail(`found '${following.text}', expected: identifier after ','`);
      }
    }
    return {ok: true, selector: {requirements}};
  } catch (error) {
    if (error instanceof SelectorSyntaxError) {
      return {ok: false, problem: `unable to parse requirement: ${error.message}`};
    }
    throw error;
  }
}

/** The selector as the API server's `labelSelector` parameter reads it. */
export function formatLabelSelector(selector: LabelSelector): string {
  return selector.requirements
    .map(r => {
      switch (r.op) {
        case 'exists':
          return r.key;
        case '!':
          return `!${r.key}`;
        case 'in':
        case 'notin':
          return `${r.key} ${r.op} (${[...r.values].sort().join(',')})`;
        default:
          return `${r.key}${r.op}${r.value}`;
      }
    })
    .join(',');
}
