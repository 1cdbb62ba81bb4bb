/**
 * Structural checks on provider tokens: checksums and encodings that a format defines, so
 * that a look-alike of the right length can be told from a real token.
 */

const CRC_TABLE: Uint32Array = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3, as zlib computes it) of an ASCII string. */
export function crc32(s: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < s.length; i++) crc = (CRC_TABLE[(crc ^ s.charCodeAt(i)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `n` in base 62 (digits, upper, lower case), left-padded with `0` to `width`. */
export function base62(n: number, width: number): string {
  let out = '';
  for (let v = n; v > 0; v = Math.floor(v / 62)) out = BASE62[v % 62] + out;
  return out.padStart(width, '0');
}

/**
 * GitHub's 2021 token format (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`) and npm's `npm_`: a
 * four-character prefix, 30 random base62 characters, then the CRC-32 of those 30 characters
 * in six base62 digits. Published test strings are mostly random and fail it, so a passing
 * checksum raises confidence; a failing one does not by itself rule a token out.
 */
export function hasGithubChecksum(token: string): boolean {
  if (token.length !== 40) return false;
  return base62(crc32(token.slice(4, 34)), 6) === token.slice(34);
}

/** Decode base64url (or standard base64) without padding; `null` when it is not valid. */
export function decodeBase64Url(s: string): string | null {
  if (!/^[A-Za-z0-9_+/-]*$/.test(s) || s.length % 4 === 1) return null;
  const std = s.replace(/-/g, '+').replace(/_/g, '/');
  try {
    return atob(std + '='.repeat((4 - (std.length % 4)) % 4));
  } catch {
    return null;
  }
}

/**
 * A JWT (RFC 7519) or JWS compact serialization: its first segment must decode to a JSON
 * object naming an algorithm (`alg`, RFC 7515 §4.1.1). Look-alikes that merely start with
 * `eyJ` — a code identifier, a cut-off string, base64 of other JSON — fail here.
 */
export function isJwt(token: string): boolean {
  const dot = token.indexOf('.');
  if (dot < 0) return false;
  const header = decodeBase64Url(token.slice(0, dot));
  if (header === null) return false;
  try {
    const obj: unknown = JSON.parse(header);
    return typeof obj === 'object' && obj !== null && typeof (obj as { alg?: unknown }).alg === 'string';
  } catch {
    // A header damaged in transit or in a fixture still opens a JSON object naming `alg`.
    return /^\{\s*"(?:typ|alg)"\s*:/.test(header) && header.includes('"alg"');
  }
}
