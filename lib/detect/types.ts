/** Which detector produced a finding. */
export type DetectorName = 'injection' | 'pii' | 'secrets';

/**
 * What a detector does with what it finds.
 * - `block`: the caller refuses the text (the finding is reported; the text is not redacted).
 * - `redact`: the span is replaced by `[REDACTED:TYPE]` in `redacted`.
 * - `flag`: recorded only.
 * - `off`: the detector does not run.
 */
export type DetectorAction = 'block' | 'redact' | 'flag' | 'off';

/** One thing a detector found. It never holds the matched value, only where it is. */
export interface Finding {
  detector: DetectorName;
  /** e.g. `email`, `credit_card`, `openai_api_key`, `instruction_override`. */
  type: string;
  /** Offsets (UTF-16 code units) into the text passed to `scanText`. */
  start: number;
  end: number;
  /** The action configured for this finding's detector. */
  action: Exclude<DetectorAction, 'off'>;
}

export interface ScanOptions {
  /** Default `block`. */
  injection?: DetectorAction;
  /** Default `redact`. */
  pii?: DetectorAction;
  /** Default `redact`. */
  secrets?: DetectorAction;
  /** Injection score at or above which an `injection` finding is reported. Default 0.5. */
  threshold?: number;
  /** Replacement for a redacted span. Default: `` type => `[REDACTED:${type.toUpperCase()}]` ``. */
  redaction?: (type: string, detector: DetectorName) => string;
  /**
   * `true` (default, the input side): `redacted` is the normalized text (NFKC, invisible
   * characters removed) with redactions applied. `false` (the output side): `redacted`
   * keeps the original characters and only replaces redacted spans.
   */
  normalize?: boolean;
}

export interface ScanResult {
  findings: Finding[];
  /** The text with every `redact` finding replaced. */
  redacted: string;
  /** Injection score in [0, 1]; 0 when injection is `off`. */
  score: number;
}

/** A raw detector match, in coordinates of the scanned string (internal to detect/). */
export interface RawMatch {
  type: string;
  start: number;
  end: number;
}

/** The injection finding types. */
export type InjectionType =
  | 'instruction_override'
  | 'system_prompt_extraction'
  | 'persona_jailbreak'
  | 'template_delimiter'
  | 'encoded_payload'
  | 'adversarial_suffix';

/** A rule hit or model attribution, in coordinates of the scanned string. */
export interface InjectionHit {
  type: InjectionType;
  start: number;
  end: number;
  weight: number;
}
