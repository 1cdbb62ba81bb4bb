// Held-out table per PII format class: positives and near misses written for this file
// (not taken from the development corpus), checked in prompts and in streamed output split
// at every position.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanText } from '../../lib/detect/index.js';
import { streamCut, textPolicy } from '../helpers/stream-text.js';

/** [type, sentence, the value that must be redacted] */
type Positive = [string, string, string];
/** [why it is not PII, sentence] */
type NearMiss = [string, string];

const TABLE: Record<string, { positives: Positive[]; nearMisses: NearMiss[] }> = {
  phone: {
    positives: [
      ['phone', 'Je suis au 01 42 68 53 00 demain matin.', '01 42 68 53 00'],
      ['phone', 'ping 312-443-8712now please', '312-443-8712'],
      ['phone', 'see 312.443.8712 soon', '312.443.8712'],
      ['phone', '(212) 443-8712 is my desk', '(212) 443-8712'],
      ['phone', 'or 1-800-555-0199 toll free', '1-800-555-0199'],
      ['phone', 'the office is on 020 7946 0018 tonight', '020 7946 0018'],
      ['phone', 'Berlin: +49 30 901820, ask for Jo', '+49 30 901820'],
      ['phone', 'from abroad 0049 89 1234567 works', '0049 89 1234567'],
      ['phone', 'mobile +33 6 12 34 56 78.', '+33 6 12 34 56 78'],
      ['phone', 'call 0612345678 after six', '0612345678'],
      ['phone', 'Tel. 089 12345678', '089 12345678'],
      ['phone', 'whatsapp me at 081 2345 6789 (Jakarta)', '081 2345 6789'],
      ['phone', 'Telefon: 0664 1234567', '0664 1234567'],
      ['phone', 'phone number 4412 345 678', '4412 345 678'],
      ['phone', 'our São Paulo office in Brasil: (11) 3456-7890', '(11) 3456-7890'],
      ['phone', 'numbers: 212-345-6789 312-443-8712 646-555-0144 ok', '312-443-8712'],
      ['phone', 'fax 01 42 68 53 00, 01 42 68 53 01', '01 42 68 53 01'],
    ],
    nearMisses: [
      ['nine zeros', 'order 000000000 shipped'],
      ['one digit repeated', 'code 111 111 111 ok'],
      ['repeated digit after a phone word', 'call 111 111 111'],
      ['Dutch BSN', 'BSN 123 456 782 on the form'],
      ['Swedish personal number', 'id 850709-9805 ok'],
      ['ISBN-13', 'ISBN 978-3-16-148410-0'],
      ['EAN-13', 'EAN 4006381333931'],
      ['EIN', 'EIN 12-3456789'],
      ['coordinates', 'see 48.8566, 2.3522 on the map'],
      ['version', 'build 10.0.19041.1 fixed it'],
      ['time', 'at 11:36:12 sharp'],
      ['emergency number', 'dial 112 now'],
      ['short service number', 'call 3115 for the city'],
      ['year range', 'in 2019-2020 we grew'],
      ['order number', 'ticket 5512345678 was closed'],
      ['account number', 'account number 4412 345 678 on the statement'],
      ['order number with a colon', 'order number: 0991 234 567'],
      ['UK NHS number', 'NHS 485 777 3456 ok'],
      ['Canadian SIN', 'SIN 046 454 286'],
      ['French INSEE number', 'INSEE 1 85 05 78 006 084 36'],
      ['Brazilian CPF', 'CPF 123.456.789-09'],
      ['Danish CPR', 'CPR 070761-4285'],
      ['IMEI', 'IMEI 35-209900-176148-1'],
      ['US ZIP+4', 'ZIP 94103-1234'],
      ['a table of figures', 'the range 100 200 300 400 500 600 700 800 900'],
      ['thousands separated by spaces', 'it was 1 234 567 890 bytes'],
      ['price', 'Prix: 01 42 68 53 00 €'],
    ],
  },
  email: {
    positives: [
      ['email', 'mail jörg@bücher.de now', 'jörg@bücher.de'],
      ['email', 'write to a.b@example.xn--p1ai.', 'a.b@example.xn--p1ai'],
      ['email', 'mail user@пример.рф ok', 'user@пример.рф'],
      ['email', 'ops+alerts@corp.example.com is the list', 'ops+alerts@corp.example.com'],
      ['email', "o'brien@example.ie signed", "o'brien@example.ie"],
      ['email', 'in JSON: {"to":"jane.doe@example.com"}', 'jane.doe@example.com'],
      ['email', 'quoted "jane.doe@example.com" in prose', 'jane.doe@example.com'],
      ['email', 'x_y!z@mail.example.org', 'x_y!z@mail.example.org'],
      ['email', '{"to": "ann.lee@example.com", "cc": []}', 'ann.lee@example.com'],
      ['email', "send('bo@example.net')", 'bo@example.net'],
      ['email', 'reply to "kim@example.co.uk" today', 'kim@example.co.uk'],
    ],
    nearMisses: [
      ['quoted local part with a space', 'mail "quoted"@x.com'],
      ['quoted string glued to the local part', 'mail "odd"part@x.com'],
      ['no top-level domain', 'user@localhost is local'],
      ['one-letter TLD', 'x@y.c'],
      ['empty domain label', 'ann@.example.com'],
      ['double dot', 'ann..lee@example.com'],
      ['handle', 'ping @maria about it'],
      ['package version', 'npm i @scope/pkg@1.2.3'],
      ['retina image name', 'use logo@2x.png in the header'],
    ],
  },
  ip_address: {
    positives: [
      ['ip_address', 'host ::1.', '::1'],
      ['ip_address', 'host fe80::1%eth0, ok', 'fe80::1%eth0'],
      ['ip_address', 'reach 2001:db8::ff00:42:8329.', '2001:db8::ff00:42:8329'],
      ['ip_address', 'mapped ::ffff:192.0.2.128 answered', '::ffff:192.0.2.128'],
      ['ip_address', 'gw 2001:db8:0:0:1:0:0:1 ok', '2001:db8:0:0:1:0:0:1'],
      ['ip_address', 'router at 10.20.30.40.', '10.20.30.40'],
    ],
    nearMisses: [
      ['octet over 255', 'at 999.999.999.999'],
      ['four-digit octet', 'x 1000.2.3.4'],
      ['MAC address', 'mac 00:1a:2b:3c:4d:5e'],
      ['time', 'logged 12:30:45'],
      ['C++ scope', 'use std::map here'],
      ['five hex digits', 'bad 2001:db8::12345 here'],
      ['version', 'version 1.2.3.4 today'],
    ],
  },
  iban: {
    positives: [
      ['iban', 'IBAN DE89-3704-0044-0532-0130-00 ok', 'DE89-3704-0044-0532-0130-00'],
      ['iban', 'pay GB33BUKB20201555555555 today', 'GB33BUKB20201555555555'],
      ['iban', 'to FR76 3000 6000 0112 3456 7890 189 please', 'FR76 3000 6000 0112 3456 7890 189'],
      ['iban', 'nl: NL91 ABNA 0417 1643 00.', 'NL91 ABNA 0417 1643 00'],
      ['iban', 'GB12 paid DE89 3704 0044 0532 0130 00 ok', 'DE89 3704 0044 0532 0130 00'],
      ['iban', 'lower case gb82 west 1234 5698 7654 32 works', 'gb82 west 1234 5698 7654 32'],
    ],
    nearMisses: [
      ['checksum failure', 'IBAN DE89 3704 0044 0532 0130 01'],
      ['wrong length for the country', 'IBAN DE89 3704 0044 0532 0130'],
      ['SWIFT/BIC', 'BIC DEUTDEFF500'],
      ['unknown lower-case country code', 'ref zz12 3456 7890 1234 5678 90'],
    ],
  },
  us_ssn: {
    positives: [
      ['us_ssn', 'SSN: 123.45.6789', '123.45.6789'],
      ['us_ssn', 'ssn 123 456 789', '123 456 789'],
      ['us_ssn', 'social security number 078051120 on file', '078051120'],
      ['us_ssn', 'the number 219-09-9999 was issued', '219-09-9999'],
    ],
    nearMisses: [
      ['area 000', 'SSN 000.12.3456'],
      ['area 666', 'SSN 666 12 3456'],
      ['area 9xx', 'SSN 923-45-6789'],
      ['serial 0000', 'SSN 123-45-0000'],
      ['nine digits without an SSN word', 'invoice 123456789 paid'],
    ],
  },
  credit_card: {
    positives: [
      ['credit_card', 'card 4111.1111.1111.1111 exp 01/30', '4111.1111.1111.1111'],
      ['credit_card', 'mc 5555-5555-5555-4444!', '5555-5555-5555-4444'],
      ['credit_card', 'amex 3782 822463 10005', '3782 822463 10005'],
      ['credit_card', 'card 1234 4111 1111 1111 1111 ok', '4111 1111 1111 1111'],
      ['credit_card', 'card 4111 1111 1111 1111 123 456', '4111 1111 1111 1111'],
      ['credit_card', 'spaced 4 0 1 2 8 8 8 8 8 8 8 8 1 8 8 1', '4 0 1 2 8 8 8 8 8 8 8 8 1 8 8 1'],
    ],
    nearMisses: [
      ['Luhn failure', 'card 4111-1111-1111-1112'],
      ['mixed separators', 'card 4111.1111-1111 1111'],
      ['outside every IIN range', 'ref 9111 1111 1111 1116'],
      ['one digit repeated', 'card 0000 0000 0000 0000'],
    ],
  },
};

const findTypes = (text: string) =>
  scanText(text, { injection: 'off', secrets: 'off' }).findings.map((f) => `${f.type}:${text.slice(f.start, f.end)}`);

const policy = textPolicy('redact', 'off');

/** The streamed output of `text` pushed in two pieces, split at `at`. */
function streamedInTwo(text: string, at: number): string {
  return streamCut(policy, text, [at]);
}

for (const [cls, { positives, nearMisses }] of Object.entries(TABLE)) {
  describe(`pii formats: ${cls}`, () => {
    it.each(positives)('finds %s in %j', (type, text, value) => {
      expect(findTypes(text)).toContain(`${type}:${value}`);
      expect(policy.whole(text).text).not.toContain(value);
    });
    it.each(nearMisses)('leaves %s alone: %j', (_why, text) => {
      expect(findTypes(text)).toEqual([]);
      expect(policy.whole(text).text).toBe(text);
    });
    it('streams every positive and near miss, split at every position, as whole-text filtering', () => {
      for (const text of [...positives.map((p) => p[1]), ...nearMisses.map((n) => n[1])]) {
        const whole = policy.whole(text).text;
        for (let at = 0; at <= text.length; at++) expect(streamedInTwo(text, at)).toBe(whole);
      }
    });
  });
}

describe('pii formats: streaming equals whole-text filtering (property)', () => {
  const pieces = Object.values(TABLE).flatMap(({ positives, nearMisses }) => [
    ...positives.map((p) => p[2]),
    ...nearMisses.map((n) => n[1]),
  ]);
  const noise = fc.string({
    unit: fc.constantFrom('a', '1', '0', ' ', '.', '-', ':', '+', '(', ')', '\n'),
    maxLength: 8,
  });
  const text = fc
    .array(fc.oneof(fc.constantFrom(...pieces, ' call ', ' tel ', ' SSN ', ' IBAN '), noise), { maxLength: 40 })
    .map((p) => p.join(''));
  it('holds for every chunking', () => {
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 30 }), (t, splits) => {
        const out = streamCut(policy, t, splits);
        expect(out).toBe(policy.whole(t).text);
      }),
      { numRuns: 300 },
    );
  });
});
