import { describe, it, expect } from 'vitest';
import { scanText } from '../../lib/detect/index.js';

const types = (text: string) => scanText(text, { injection: 'off', secrets: 'off' }).findings.map((f) => f.type);

describe('pii: true positives', () => {
  it.each([
    ['email', 'write to john.smith+tag@mail.example.co.uk today'],
    ['phone', 'call me at (415) 555-0132'],
    ['phone', 'call +44 20 7946 0958 tomorrow'],
    ['phone', 'My number is 415.555.0132'],
    ['phone', 'Phone: +1-604-696-5272x565'],
    ['phone', 'Fax: 2025550147'],
    ['phone', 'PO Box 12\n512 73 448 office\n'],
    ['phone', '061 377 2210-Fax'],
    ['credit_card', 'card 4111 1111 1111 1111 exp 12/29'],
    ['credit_card', 'amex 378282246310005'],
    ['us_ssn', 'SSN 123-45-6789'],
    ['us_ssn', 'my ssn is 123456789'],
    ['iban', 'IBAN GB82 WEST 1234 5698 7654 32 please'],
    ['iban', 'pay DE89370400440532013000'],
    ['ip_address', 'server at 192.168.10.254 is down'],
    ['ip_address', 'v6 host 2001:db8::8a2e:370:7334 answered'],
  ])('%s in %j', (type, text) => {
    expect(types(text)).toContain(type);
  });
});

describe('pii: near misses and checksum failures', () => {
  it.each([
    ['Luhn failure', 'card 4111 1111 1111 1112'],
    ['IBAN mod-97 failure', 'IBAN GB82 WEST 1234 5698 7654 33'],
    ['SSN area 000', 'SSN 000-12-3456'],
    ['SSN area 666', 'SSN 666-12-3456'],
    ['SSN area 9xx', 'SSN 912-12-3456'],
    ['SSN group 00', 'SSN 123-00-3456'],
    ['ISO date', 'released on 2023-04-05 at noon'],
    ['date and time', 'logged 2006-04-07 09:15'],
    ['version', 'upgrade to version 1.2.3.4 today'],
    ['semver', 'node 20.19.0 is required'],
    ['invalid IPv4', 'address 256.1.1.1 is not valid'],
    ['time', 'meet at 12:30:45'],
    ['MAC address', 'mac 00:1A:2B:3C:4D:5E'],
    ['C++ scope', 'use std::vector here'],
    ['street address', 'The office is at 704 1436 Redbud Drive'],
    ['amount', 'it costs $1 000 000 in total'],
    ['year range', 'from 2019-2020 we grew'],
    ['email without tld', 'user@localhost is local'],
    ['order id', 'order 12345678901 shipped'],
    ['long order id without phone word', 'ticket 4412345678 was closed'],
    ['price', 'it costs 1299000 dollars'],
    ['count before a word', 'we shipped 1234567 units'],
    ['date with dots', 'due 12.05.2024 at the latest'],
  ])('%s', (_name, text) => {
    expect(types(text)).toEqual([]);
  });
});
