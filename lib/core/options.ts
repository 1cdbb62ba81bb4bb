// Option checking shared by every factory. Everything is validated once, when the
// middleware is created: a typo or a wrong type must fail at startup, never silently
// switch a control off at request time.

/** Returns what was expected when `value` is invalid, or undefined when it is fine. */
export type Check = (value: unknown) => string | undefined;

/** A short, safe description of a received value for error messages (never a secret). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'number':
    case 'boolean':
      return String(value);
    case 'string':
      return value.length <= 40 ? JSON.stringify(value) : 'a long string';
    case 'function':
      return 'a function';
    case 'object':
      return 'an object';
    case 'undefined':
      // Most often `process.env.X` for a variable nobody set: say so.
      return 'undefined (is the environment variable set?)';
    default:
      return typeof value;
  }
}

/** Throws a TypeError naming the factory and option: `` factory: `name` must be … (received …) ``. */
export function optionError(factory: string, name: string, expected: string, value: unknown): TypeError {
  return new TypeError(`${factory}: \`${name}\` must be ${expected} (received ${describe(value)})`);
}

/** The error for a key no check knows, listing the keys that are known. */
function unknownOption(factory: string, path: string, checks: object): TypeError {
  const known = Object.keys(checks).sort().join(', ');
  return new TypeError(`${factory}: unknown option \`${path}\` (known options: ${known})`);
}

/** Throws the option error when `check` refuses `value`. */
export function checkOption(factory: string, name: string, value: unknown, check: Check): void {
  const expected = check(value);
  if (expected !== undefined) throw optionError(factory, name, expected, value);
}

/** Checks each key of `options`, naming `parent.key` in messages when nested. */
function checkFields(
  factory: string,
  parent: string | undefined,
  options: object,
  checks: Record<string, Check>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options)) {
    const path = parent === undefined ? name : `${parent}.${name}`;
    if (!Object.prototype.hasOwnProperty.call(checks, name)) throw unknownOption(factory, path, checks);
    if (value === undefined) continue;
    checkOption(factory, path, value, checks[name]!);
    out[name] = value;
  }
  return out;
}

/**
 * Checks `options` against `checks`, one per allowed key; `undefined` values mean "not
 * set". Returns a shallow copy without undefined values, so callers never mutate the
 * user's object.
 */
export function checkOptions<T extends object>(
  factory: string,
  options: unknown,
  checks: { [K in keyof T]-?: Check },
): Partial<T> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${factory}: options must be an object (received ${describe(options)})`);
  }
  return checkFields(factory, undefined, options, checks as Record<string, Check>) as Partial<T>;
}

/**
 * Checks a nested options object (`tokens`, `moderation`, `keys[0]`) the way checkOptions
 * checks the top level, naming `parent.key` in messages. `value` is known to be an object
 * (the parent's own check said so). Returns a shallow copy without undefined values.
 */
export function checkNested<T extends object>(
  factory: string,
  parent: string,
  value: object,
  checks: { [K in keyof T]-?: Check },
): Partial<T> {
  return checkFields(factory, parent, value, checks as Record<string, Check>) as Partial<T>;
}

export const is = {
  positiveInt: ((v) => (Number.isSafeInteger(v) && (v as number) > 0 ? undefined : 'a positive integer')) as Check,
  nonNegativeInt: ((v) =>
    Number.isSafeInteger(v) && (v as number) >= 0 ? undefined : 'a non-negative integer') as Check,
  unit: ((v) => (typeof v === 'number' && v >= 0 && v <= 1 ? undefined : 'a number in [0, 1]')) as Check,
  boolean: ((v) => (typeof v === 'boolean' ? undefined : 'a boolean')) as Check,
  nonEmptyString: ((v) => (typeof v === 'string' && v.length > 0 ? undefined : 'a non-empty string')) as Check,
  function: ((v) => (typeof v === 'function' ? undefined : 'a function')) as Check,
  object: ((v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? undefined : 'an object')) as Check,
  any: (() => undefined) as Check,
  oneOf:
    (...values: readonly unknown[]): Check =>
    (v) =>
      values.includes(v) ? undefined : `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`,
  either:
    (...checks: Check[]): Check =>
    (v) => {
      const misses: string[] = [];
      for (const c of checks) {
        const miss = c(v);
        if (miss === undefined) return undefined;
        misses.push(miss);
      }
      return misses.join(' or ');
    },
  stringArray: ((v) =>
    Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && x.length > 0)
      ? undefined
      : 'a non-empty array of non-empty strings') as Check,
  literal:
    (value: unknown): Check =>
    (v) =>
      v === value ? undefined : JSON.stringify(value),
};

/** A `false` that switches a piece off, or that piece's options. */
export const optionsOrFalse: Check = is.either(is.literal(false), is.object);
