/**
 * IP addresses: dotted-quad IPv4 and every RFC 4291 / RFC 5952 IPv6 text form (full,
 * compressed with `::` anywhere, embedded IPv4, zone ids such as `%eth0`). A regex only
 * proposes runs of hex digits, colons and dots; `node:net`'s `isIP` decides.
 */
import { isIP } from 'node:net';
import type { RawMatch } from './types.js';

const IPV4 = /(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w]|\.\d)/g;

// The longest IPv6 text form is 45 characters (six groups and an embedded IPv4).
const IPV6 = /(?<![\w:.%])[0-9A-Fa-f:][0-9A-Fa-f:.]{1,44}(?:%[0-9A-Za-z_.~-]{1,32})?/g;

const VERSION_BEFORE = /(?:\bv|version\s?)$/;

/** An IPv6 address has two colons at most five characters apart; prose rarely does. */
function hasColonPair(text: string): boolean {
  for (let i = text.indexOf(':'); i >= 0;) {
    const next = text.indexOf(':', i + 1);
    if (next < 0) return false;
    if (next - i <= 5) return true;
    i = next;
  }
  return false;
}

/**
 * The IPv6 address at the start of `s`, without trailing sentence punctuation, or ''.
 * `fe80::1.` ends a sentence; `1:2:3::` is a whole address.
 */
function ipv6Prefix(s: string): string {
  const zoneAt = s.indexOf('%');
  if (zoneAt >= 0) {
    const addr = s.slice(0, zoneAt);
    const zone = s.slice(zoneAt).replace(/\.+$/, '');
    return isIP(addr) === 6 && zone.length > 1 ? addr + zone : '';
  }
  let addr = s;
  for (let tries = 0; tries < 3 && addr.length > 1; tries++) {
    if (isIP(addr) === 6) return addr;
    if (!/[.:]$/.test(addr)) return '';
    addr = addr.slice(0, -1);
  }
  return '';
}

/** Addresses such as `a::b` or `::` are more often code (`Foo::Bar`) than hosts. */
function plausibleIpv6(addr: string): boolean {
  if (/\d/.test(addr)) return true;
  return addr.split(':').filter((g) => g !== '').length >= 3;
}

/** IP addresses in `text`, appended to `out`. */
export function findIps(text: string, out: RawMatch[]): void {
  if (text.includes('.')) {
    IPV4.lastIndex = 0;
    for (let m = IPV4.exec(text); m !== null; m = IPV4.exec(text)) {
      const before = text.slice(Math.max(0, m.index - 9), m.index).toLowerCase();
      if (VERSION_BEFORE.test(before)) continue;
      out.push({ type: 'ip_address', start: m.index, end: m.index + m[0].length });
    }
  }
  if (!hasColonPair(text)) return;
  IPV6.lastIndex = 0;
  for (let m = IPV6.exec(text); m !== null; m = IPV6.exec(text)) {
    const s = m[0];
    const next = text[m.index + s.length];
    // Glued to letters or more digits (`…:255Z255`), the run is part of another token.
    if (next !== undefined && /[\w:%]/.test(next)) continue;
    const addr = ipv6Prefix(s);
    if (addr === '' || !plausibleIpv6(addr)) continue;
    out.push({ type: 'ip_address', start: m.index, end: m.index + addr.length });
  }
}
