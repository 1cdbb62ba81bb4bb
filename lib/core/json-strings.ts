// The strings inside a JSON document (object keys and string values), read and rewritten as
// a parser sees them: escapes such as `\u0040` are decoded before anything is judged, so
// what a model or a tool reads is what was screened.

/** The parsed document, or `undefined` when `raw` is not JSON. */
export function parseJson(raw: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(raw) as unknown };
  } catch {
    return undefined;
  }
}

/** Deeper documents are treated as plain text by the callers: the walk below is recursive. */
const MAX_DEPTH = 64;

/** Every key and string value of `value`, depth first, joined by line breaks; `undefined` when too deep. */
export function jsonStringsText(value: unknown): string | undefined {
  const out: string[] = [];
  const walked = visitStrings(value, 0, (s) => {
    out.push(s);
    return s;
  });
  return walked === TOO_DEEP ? undefined : out.join('\n');
}

/**
 * `raw` with each key and string value replaced by `map(s)`, or `raw` itself when nothing
 * changed (so a clean document keeps its bytes). `undefined` when `raw` is not JSON or nests deeper than the walk goes.
 */
export function mapJsonStrings(raw: string, map: (s: string) => string): string | undefined {
  const parsed = parseJson(raw);
  if (parsed === undefined) return undefined;
  let changed = false;
  const mapped = visitStrings(parsed.value, 0, (s) => {
    const t = map(s);
    if (t !== s) changed = true;
    return t;
  });
  if (mapped === TOO_DEEP) return undefined;
  return changed ? JSON.stringify(mapped) : raw;
}

const TOO_DEEP = Symbol('too deep');

function visitStrings(value: unknown, depth: number, map: (s: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return TOO_DEEP;
  let deep = false;
  const next = (v: unknown): unknown => {
    const r = visitStrings(v, depth + 1, map);
    if (r === TOO_DEEP) deep = true;
    return r;
  };
  if (Array.isArray(value)) {
    const arr = value.map(next);
    return deep ? TOO_DEEP : arr;
  }
  // A null prototype keeps a `__proto__` key an ordinary property, as JSON.parse made it.
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(value)) out[map(k)] = next(v);
  return deep ? TOO_DEEP : out;
}
