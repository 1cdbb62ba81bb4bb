/**
 * The shape of a provider rule and the pattern pieces the rule tables share
 * (`secret-rules.ts`, `secret-rules-saas.ts`).
 */
export interface SecretRule {
  /** Unique rule id (kebab-case), used by the tests and the documentation. */
  id: string;
  /** Finding type reported, shared by the rules of one provider. */
  type: string;
  /** Regular expression source; compiled with `g` (plus `i` and `d` where needed). */
  pattern: string;
  /** Case-insensitive match: only for rules anchored on a key name. */
  ignoreCase?: boolean;
  /** Lower-case literals, one of which must occur for the rule to run. */
  keywords: readonly string[];
  /** Capture group holding the secret; 0 = the whole match. */
  group?: number;
  /** Minimum Shannon entropy (bits per character) of the secret. */
  entropy?: number;
  /** The provider's own published example shape is still its format: don't skip "EXAMPLE". */
  allowExample?: boolean;
  /** Structure the format requires: a match that fails it is not this token. */
  validate?: (secret: string) => boolean;
  /** Structure that proves the format (a checksum): when it holds, `entropy` is waived. */
  proof?: (secret: string) => boolean;
}

/** Not preceded / followed by a token character: a token is never part of a longer word. */
export const B = '(?<![A-Za-z0-9_])';
export const E = '(?![A-Za-z0-9_])';
/** `key_name = "` before a keyed value: any key containing `name`, then an assignment. */
export const keyed = (name: string, value: string) =>
  `(?<![A-Za-z0-9])${name}[\\w.-]{0,30}["']?[ \\t]{0,4}(?:=>|:=|=|:)[ \\t]{0,4}["'\`]?(${value})(?![A-Za-z0-9_+/=-])`;
export const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
