/**
 * Credentials, the engine: provider token formats (the rule table, `secret-rules.ts`),
 * private-key blocks, credentials in URIs, `Authorization` headers, `curl -u`, key-name
 * assignments in code and config files (`secret-keys.ts` judges the key, `secret-values.ts`
 * the value) and a few config and command shapes without an assignment operator.
 *
 * Each provider rule runs only when one of its keywords occurs near a token-like run of the
 * text (`tokenWindows`), and each engine pass only when its literal occurs, so the cost per
 * scan of ordinary prose is a handful of `includes`. Decisions and figures: docs/secrets.md.
 */
import type { RawMatch } from './types.js';
import { alnumClass, nextRun, type RunKind, type Span } from './runs.js';
import { SECRET_RULES, type SecretRule } from './secret-rules.js';
import { indexText, keyword, occurs, type Keyword } from './keyword-index.js';
import { CRED_HINT, keyStrength, readValue } from './secret-keys.js';
import { Cue, findArgumentPasswords } from './secret-commands.js';
import { DEFAULT_TUNING, isPlaceholder, shannonEntropy, valueIsSecret, type SecretTuning } from './secret-values.js';

export { DEFAULT_TUNING, isPlaceholder, shannonEntropy, type SecretTuning };

/** Longest span a secret match (other than a private-key block) can have. */
export const SECRET_MAX_MATCH = 4096;
/** Longest private-key block we look for; longer blocks are cut at this length. */
export const PRIVATE_KEY_MAX = 16384;

interface CompiledRule {
  rule: SecretRule;
  re: RegExp;
  keywords: Keyword[];
}

// Group offsets need match indices (the `d` flag), which cost a little: only where used.
const RULES: readonly CompiledRule[] = SECRET_RULES.map((rule) => ({
  rule,
  re: new RegExp(rule.pattern, 'g' + (rule.ignoreCase === true ? 'i' : '') + (rule.group !== undefined ? 'd' : '')),
  keywords: rule.keywords.map(keyword),
}));

const PEM_BEGIN = /-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;
const URL_CRED = /\b[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/([^\s:@/"'<>]{0,64}):([^\s@/"'<>]{1,128})@[A-Za-z0-9.-]{1,253}/g;
// A token as the whole user part (`https://<token>@github.com/…`, `https://<token>:x-oauth-basic@…`
// is the colon form above): long enough and random enough to be no user name.
const URL_TOKEN_USER = /\b[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/([A-Za-z0-9_~-]{20,256})@[A-Za-z0-9.-]{1,253}/g;
const AUTH_HEADER =
  /\b(?:proxy-)?authorization["']?\s{0,4}[:=]\s{0,4}["']?(?:(?:bearer|basic|token|digest|apikey|api-key|bot|sso-key)\s{1,4})?([A-Za-z0-9._~+/=:-]{8,2048})/gi;
const CURL_USER = /(?:\s|^)(?:-u|--user)\s{1,4}(["']?)([^\s"']{0,128})\1(?:(["'])([^\s"']{1,128})\3)?/g;
// The key's closing quote may be escaped (`{\"apiKey\":\"…\"}`, JSON inside a string).
const ASSIGN =
  /(?<![\w.$-])(["'`]?)([A-Za-z_@$][\w.-]{0,60})\\?\1\]?[ \t]{0,4}(?:=>|:{1,3}=|\?=|!=|=|:|,)[ \t]{0,4}(\\?["'`])?/y;
// Case-insensitive presence tests: cheaper than lower-casing the whole text for two words.
const AUTHORIZATION = /authorization/i;
const CURL = /curl/i;
const CLI_FLAG = /(?:^|\s)--?([A-Za-z][\w-]{0,40})(?:[ \t]{1,4}|=)(["']?)/g;

/**
 * The detector's parts, each a class of credential shape: `npm run eval` holds each out in
 * turn (leave-one-source-out rule selection), so every pass has a name.
 */
export type SecretPass =
  | 'private_key'
  | 'url_credentials'
  | 'authorization_header'
  | 'curl_user'
  | 'assignment'
  | 'cli_flag'
  | 'xml_element'
  | 'named_setting'
  | 'netrc'
  | 'short_password_flag'
  | 'docker_env'
  | 'argument_password';

/**
 * For measurement only (`npm run eval`): parts to leave out (`rule:<id>` or a
 * {@link SecretPass}), and the set that collects the parts that found something.
 */
export interface SecretProbe {
  off?: ReadonlySet<string>;
  fired?: Set<string>;
}

interface Ctx {
  text: string;
  out: RawMatch[];
  tuning: SecretTuning;
  probe: SecretProbe | undefined;
  /** The argument-shape cues (a {@link Cue} set) that the key-name scan met. */
  cues: number;
  /** The part running now, for {@link SecretProbe.fired}. */
  via: string;
}

function pushMatch(ctx: Ctx, type: string, start: number, end: number): void {
  ctx.out.push({ type, start, end });
  ctx.probe?.fired?.add(ctx.via);
}

/** Whether the part `name` runs (always, outside measurement), and note it as running. */
function runs(ctx: Ctx, name: string): boolean {
  ctx.via = name;
  return ctx.probe?.off?.has(name) !== true;
}

/** Find credentials in `text` (the folded normalized view). */
export function findSecrets(text: string, tuning: SecretTuning = DEFAULT_TUNING, probe?: SecretProbe): RawMatch[] {
  const ctx: Ctx = { text, out: [], tuning, probe, via: '', cues: 0 };
  // Every provider token is one run of token characters, its keyword in the run or in the
  // key name just before it: keywords are looked for there only, and prose without such a
  // run (most prompts) skips them and all of their patterns.
  const windows = tokenWindows(text);
  if (windows !== '') {
    indexText(windows);
    for (const c of RULES)
      if (c.keywords.some((k) => occurs(windows, k)) && runs(ctx, `rule:${c.rule.id}`)) runRule(ctx, c);
  }
  if (runs(ctx, 'private_key')) findPrivateKeys(ctx);
  if (text.includes('://') && runs(ctx, 'url_credentials')) findUrlCredentials(ctx);
  if (AUTHORIZATION.test(text) && runs(ctx, 'authorization_header')) findAuthHeaders(ctx);
  if (text.includes('-u') && CURL.test(text) && runs(ctx, 'curl_user')) findCurlUser(ctx);
  findAssignments(ctx);
  if (text.includes('</') && runs(ctx, 'xml_element')) findXmlElements(ctx);
  if (text.includes('<') && runs(ctx, 'named_setting')) findNamedSettings(ctx);
  if (text.includes('machine') && runs(ctx, 'netrc')) findNetrc(ctx);
  if (text.includes(' -p') && runs(ctx, 'short_password_flag')) findShortPasswordFlags(ctx);
  if (text.includes('ENV ') && runs(ctx, 'docker_env')) findDockerEnv(ctx);
  if (runs(ctx, 'argument_password'))
    for (const m of findArgumentPasswords(text, tuning, ctx.cues)) pushMatch(ctx, m.type, m.start, m.end);
  return ctx.out;
}

/** Every match of one provider rule that passes its placeholder, structure and entropy gates. */
function runRule(ctx: Ctx, { rule, re }: CompiledRule): void {
  const { text } = ctx;
  const g = rule.group ?? 0;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    const s = m[g];
    if (s === undefined) continue;
    const start = g === 0 ? m.index : (m.indices?.[g]?.[0] ?? m.index);
    if (rule.allowExample !== true && isPlaceholder(s)) continue;
    if (rule.validate !== undefined && !rule.validate(s)) continue;
    const proven = rule.proof !== undefined && rule.proof(s);
    if (!proven && rule.entropy !== undefined && shannonEntropy(s) < rule.entropy) continue;
    pushMatch(ctx, rule.type, start, start + s.length);
  }
}

function findPrivateKeys(ctx: Ctx): void {
  const { text } = ctx;
  if (!text.includes('-----BEGIN')) return;
  PEM_BEGIN.lastIndex = 0;
  for (let m = PEM_BEGIN.exec(text); m !== null; m = PEM_BEGIN.exec(text)) {
    const bodyStart = m.index + m[0].length;
    const limit = Math.min(text.length, m.index + PRIVATE_KEY_MAX);
    // The body runs to the next `-----`. Searching only that far (not for an END anywhere
    // later) keeps a text of thousands of BEGIN lines linear instead of quadratic.
    let stop = text.indexOf('-----', bodyStart);
    if (stop < 0 || stop > limit) stop = limit;
    let end: number;
    const closed = text.startsWith('-----END', stop);
    if (closed) {
      const close = text.indexOf('-----', stop + 8);
      end = close >= 0 && close - stop < 64 ? close + 5 : stop + 8;
    } else {
      // Unterminated (or truncated by a stream): redact what is there rather than leak it.
      end = limit;
    }
    // Header lines (`Proc-Type: 4,ENCRYPTED`) precede the base64 data of encrypted keys.
    const data = text
      .slice(bodyStart, stop)
      .replace(/^\s*(?:[A-Za-z-]+:[^\n]*\n)*/, '')
      .replace(/\s+/g, '');
    // A complete block holds a whole key: the smallest (Ed25519, PKCS #8) is 64 base64
    // characters. A block cut short by the end of the text is judged on what is there.
    if (data.length < (closed ? 64 : 16) || shannonEntropy(data) < 3.5) continue;
    pushMatch(ctx, 'private_key', m.index, end);
    PEM_BEGIN.lastIndex = end;
  }
}

function findUrlCredentials(ctx: Ctx): void {
  const { text } = ctx;
  URL_CRED.lastIndex = 0;
  for (let m = URL_CRED.exec(text); m !== null; m = URL_CRED.exec(text)) {
    const pass = m[2] ?? '';
    if (pass.length < 3 || isTemplateOrMask(pass)) continue;
    // `{{postgres://user:password@host/db}}`: a template slot (tldr pages, Jinja) to fill in.
    if (/\{\{\s?$/.test(text.slice(Math.max(0, m.index - 3), m.index))) continue;
    const userStart = m.index + m[0].indexOf('://') + 3;
    const passEnd = userStart + (m[1] ?? '').length + 1 + pass.length;
    pushMatch(ctx, 'url_credentials', userStart, passEnd);
  }
  URL_TOKEN_USER.lastIndex = 0;
  for (let m = URL_TOKEN_USER.exec(text); m !== null; m = URL_TOKEN_USER.exec(text)) {
    const user = m[1] ?? '';
    if (!isRandomToken(user, ctx.tuning.tokenMinEntropy)) continue;
    const start = m.index + m[0].indexOf('://') + 3;
    pushMatch(ctx, 'url_credentials', start, start + user.length);
  }
}

/** A machine-made token: letters and digits mixed, no placeholder, at least `bits` of entropy. */
function isRandomToken(v: string, bits: number): boolean {
  return /\d/.test(v) && /[A-Za-z]/.test(v) && !isPlaceholder(v) && shannonEntropy(v) >= bits;
}

/**
 * A URL's password part that stands for a value instead of being one: a template (`${DB_PASS}`,
 * `{{ pass }}`, `<password>`, `%s`) or a mask (`****`, `xxxx`). Plain words are not excluded
 * here: `user:pass@host` and `USERNAME:PASSWORD@host` are written credentials, and the
 * scanners' fixtures (secretlint, ripsecrets, earlybird) all count them.
 */
function isTemplateOrMask(pass: string): boolean {
  return /^[$%{<[*(]|\$\{|\{\{|^x{3,}$|^X{3,}$|^\*+$|^\.+$/.test(pass) || /^(?:changeme|redacted|secret)$/i.test(pass);
}

function findAuthHeaders(ctx: Ctx): void {
  const { text } = ctx;
  AUTH_HEADER.lastIndex = 0;
  for (let m = AUTH_HEADER.exec(text); m !== null; m = AUTH_HEADER.exec(text)) {
    const v = (m[1] ?? '').replace(/[\\'"]+$/, '');
    if (v.length < 8 || isPlaceholder(v) || /^(?:bearer|basic|token)$/i.test(v)) continue;
    if (/^[A-Za-z]+$/.test(v) && shannonEntropy(v) < 3.5) continue;
    if (shannonEntropy(v) < 2.5) continue;
    const start = m.index + m[0].length - (m[1] ?? '').length;
    pushMatch(ctx, 'authorization_header', start, start + v.length);
  }
}

function findCurlUser(ctx: Ctx): void {
  const { text } = ctx;
  CURL_USER.lastIndex = 0;
  for (let m = CURL_USER.exec(text); m !== null; m = CURL_USER.exec(text)) {
    let cred = m[2] ?? '';
    if (m[4] !== undefined) cred += m[4];
    const colon = cred.indexOf(':');
    if (colon < 0) continue;
    const pass = cred.slice(colon + 1);
    const user = cred.slice(0, colon);
    if (pass.length < 4 || isPlaceholder(pass) || /^[$%{<[(]|\$[({A-Za-z_]*$|\$\{/.test(pass) || /^[$%{<[(]/.test(user))
      continue;
    if (/^(?:user(?:name)?|login)$/i.test(user) && /^[a-z]+$/i.test(pass)) continue;
    if (shannonEntropy(pass) < 2.5) continue;
    const start = m.index + m[0].indexOf(m[2] ?? '', m[0].search(/-u|--user/));
    pushMatch(
      ctx,
      'basic_auth_credentials',
      start,
      m.index + m[0].length - (m[4] !== undefined ? 1 : (m[1]?.length ?? 0)),
    );
  }
}

function findAssignments(ctx: Ctx): void {
  const { text } = ctx;
  const assignments = runs(ctx, 'assignment');
  // A credential key contains one of these; the key around each occurrence is then tried
  // with the sticky ASSIGN pattern, instead of matching every `word:` and `word,` of prose.
  HINT.lastIndex = 0;
  let resume = 0;
  let any = false;
  for (let h = HINT.exec(text); h !== null; h = HINT.exec(text)) {
    const cue = cueOf(h[0]);
    ctx.cues |= cue;
    if (cue & (Cue.Auth | Cue.Identified | Cue.SecureString)) continue;
    any = true;
    // Walk back to the start of the key word (the pattern's look-behind forbids starting
    // inside one), allowing a leading `$`/`@` and an opening quote.
    let k = h.index;
    while (k > 0 && h.index - k <= 64 && isKeyChar(text.charCodeAt(k - 1))) k--;
    if (k > 0 && (text[k - 1] === '$' || text[k - 1] === '@')) k--;
    if (k < resume) continue;
    let m: RegExpExecArray | null = null;
    if (k > 0 && '"\'`'.includes(text[k - 1] as string) && k - 1 >= resume) {
      ASSIGN.lastIndex = k - 1;
      m = ASSIGN.exec(text);
    }
    if (m === null) {
      ASSIGN.lastIndex = k;
      m = ASSIGN.exec(text);
    }
    if (m === null) continue;
    resume = m.index + m[0].length;
    HINT.lastIndex = Math.max(HINT.lastIndex, resume);
    const key = m[2] ?? '';
    // Most `word:` pairs in prose name no credential: reject them before splitting words.
    if (!CRED_HINT.test(key)) continue;
    const strength = keyStrength(key);
    if (strength === 0) continue;
    // A comma only separates key and value in call-style pairs: ("api_token", "value").
    const op = m[0].slice((m[1] ?? '').length * 2 + key.length).trim();
    if (op.startsWith(',') && (m[1] ?? '') === '') continue;
    const [rs, re] = readValue(text, m.index + m[0].length, m[3]);
    const block = m[3] === undefined ? blockScalarLine(text, rs, re) : undefined;
    const [vs, ve] = block ?? [rs, re];
    // Resume after the value: `password=password=…` must not re-read the same value
    // from every key inside it, which would make the scan quadratic.
    if (ve > resume) resume = ve;
    HINT.lastIndex = Math.max(HINT.lastIndex, resume);
    const v = text.slice(vs, ve);
    if (!assignments) continue;
    // `<add key="ApiPassword" value="…"/>`: the name, not the value; findNamedSettings reads it.
    if (key.toLowerCase() === 'key' && ADD_VALUE_NEXT.test(text.slice(ve, ve + 16))) continue;
    // A quoted value, or one of a URL query (`?user=admin&pass=…`), is a literal string.
    const literal =
      block !== undefined ||
      m[3] !== undefined ||
      (m.index > 0 && (text[m.index - 1] === '&' || text[m.index - 1] === '?'));
    if (!literal && isTypeAnnotation(text, ve)) continue;
    if (!valueIsSecret(v, { key, strength, quoted: literal }, ctx.tuning)) continue;
    pushMatch(ctx, strength === 2 ? 'password' : 'credential_assignment', vs, ve);
  }
  if (!any || !text.includes('-') || !runs(ctx, 'cli_flag')) return;
  CLI_FLAG.lastIndex = 0;
  for (let m = CLI_FLAG.exec(text); m !== null; m = CLI_FLAG.exec(text)) {
    const key = m[1] ?? '';
    const strength = keyStrength(key);
    if (strength < 2) continue;
    const [vs, ve] = readValue(text, m.index + m[0].length, m[2] === '' ? undefined : m[2]);
    const v = text.slice(vs, ve);
    if (!valueIsSecret(v, { key, strength }, ctx.tuning)) continue;
    pushMatch(ctx, strength === 2 ? 'password' : 'credential_assignment', vs, ve);
  }
}

const XML_ELEMENT = /<([A-Za-z][\w.:-]{0,40})>([^<>\n]{1,256})<\/\1>/g;

/** `<Password>…</Password>`, `<client_secret>…</client_secret>`: XML config elements. */
function findXmlElements(ctx: Ctx): void {
  const { text } = ctx;
  XML_ELEMENT.lastIndex = 0;
  for (let m = XML_ELEMENT.exec(text); m !== null; m = XML_ELEMENT.exec(text)) {
    const key = m[1] ?? '';
    const v = m[2] ?? '';
    if (!CRED_HINT.test(key)) continue;
    const strength = keyStrength(key);
    if (strength === 0 || !valueIsSecret(v, { key, strength, quoted: true }, ctx.tuning)) continue;
    const start = m.index + key.length + 2;
    pushMatch(ctx, strength === 2 ? 'password' : 'credential_assignment', start, start + v.length);
  }
}

const ADD_VALUE_NEXT = /^["']\s{1,4}value\s{0,2}=/i;
// A config element naming its setting in an attribute, the value in another attribute or in
// its content: .NET `<add key="…" value="…"/>`, Maven/Ant `<property name="…" value="…"/>`,
// Java properties XML `<entry key="…">…</entry>`.
const NAMED_SETTING =
  /<([A-Za-z][\w:-]{0,30})\s{1,4}(?:key|name)\s{0,2}=\s{0,2}"([^"<>\n]{1,80})"(?:\s{1,4}value\s{0,2}=\s{0,2}"([^"<>\n]{1,256})"|\s{0,4}>([^<>\n]{1,256})<\/\1>)/gi;

/** Settings named by a `key`/`name` attribute, with the value in `value="…"` or the content. */
function findNamedSettings(ctx: Ctx): void {
  const { text } = ctx;
  NAMED_SETTING.lastIndex = 0;
  for (let m = NAMED_SETTING.exec(text); m !== null; m = NAMED_SETTING.exec(text)) {
    const key = m[2] ?? '';
    const inAttr = m[3] !== undefined;
    const v = (inAttr ? m[3] : m[4]) ?? '';
    const strength = CRED_HINT.test(key) ? keyStrength(key) : 0;
    if (strength === 0 || !valueIsSecret(v, { key, strength, quoted: true }, ctx.tuning)) continue;
    // The value ends one `"` (attribute) or one `</tag>` (content) before the match does.
    const tail = inAttr ? 1 : (m[1] ?? '').length + 3;
    const start = m.index + m[0].length - tail - v.length;
    pushMatch(ctx, strength === 2 ? 'password' : 'credential_assignment', start, start + v.length);
  }
}

const NETRC = /\bmachine[ \t]{1,8}\S{1,253}[ \t]{1,8}login[ \t]{1,8}\S{1,128}[ \t]{1,8}password[ \t]{1,8}(\S{1,128})/g;

/** `.netrc` lines: `machine host login user password secret`, no assignment operator. */
function findNetrc(ctx: Ctx): void {
  const { text } = ctx;
  NETRC.lastIndex = 0;
  for (let m = NETRC.exec(text); m !== null; m = NETRC.exec(text)) {
    const v = m[1] ?? '';
    if (!valueIsSecret(v, { key: 'password', strength: 2, quoted: true }, ctx.tuning)) continue;
    const start = m.index + m[0].length - v.length;
    pushMatch(ctx, 'password', start, start + v.length);
  }
}

// `-p` is a password only for these commands (elsewhere it is a port, a path, a profile):
// mysql takes it glued (`-pSECRET`; `-p db` prompts and names a database), the registry
// logins take it as the next argument.
const MYSQL_P = /\bmysql(?:dump|admin)?\b[^\n]{0,200}?[ \t]-p(["']?)([^\s'"-][^\s'"]{2,127})\1/g;
const LOGIN_P =
  /\b(?:docker|podman|buildah|nerdctl|helm)\b[^\n]{0,60}?\blogin\b[^\n]{0,200}?[ \t]-p[ \t]{1,4}(["']?)([^\s'"]{3,128})\1/g;

function findShortPasswordFlags(ctx: Ctx): void {
  const { text } = ctx;
  for (const re of [MYSQL_P, LOGIN_P]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const v = m[2] ?? '';
      if (!valueIsSecret(v, { key: 'password', strength: 2, quoted: true }, ctx.tuning)) continue;
      const start = m.index + m[0].length - v.length - (m[1] ?? '').length;
      pushMatch(ctx, 'password', start, start + v.length);
    }
  }
}

const DOCKER_ENV =
  /^[ \t]{0,8}ENV[ \t]{1,8}([A-Za-z_][\w.-]{0,60})[ \t]{1,8}(["']?)([^\s"'=][^\s"']{0,255})\2[ \t]{0,8}$/gm;

/** A Dockerfile's legacy `ENV NAME value` form, without `=`. */
function findDockerEnv(ctx: Ctx): void {
  const { text } = ctx;
  DOCKER_ENV.lastIndex = 0;
  for (let m = DOCKER_ENV.exec(text); m !== null; m = DOCKER_ENV.exec(text)) {
    const key = m[1] ?? '';
    const v = m[3] ?? '';
    const strength = CRED_HINT.test(key) ? keyStrength(key) : 0;
    if (strength === 0 || !valueIsSecret(v, { key, strength, quoted: m[2] !== '' }, ctx.tuning)) continue;
    const start = m.index + m[0].trimEnd().length - (m[2] ?? '').length - v.length;
    pushMatch(ctx, strength === 2 ? 'password' : 'credential_assignment', start, start + v.length);
  }
}

/**
 * `password: |` (or `>`, with a chomping indicator): a YAML block scalar, whose value is the
 * indented line that follows — the span of that line's content, or undefined.
 */
function blockScalarLine(text: string, vs: number, ve: number): [number, number] | undefined {
  if (ve - vs > 3 || !/^[|>][-+]?\d?$/.test(text.slice(vs, ve))) return undefined;
  let i = ve;
  while (text[i] === ' ' || text[i] === '\t') i++;
  if (text[i] === '\r') i++;
  if (text[i] !== '\n') return undefined;
  let start = i + 1;
  while (text[start] === ' ' || text[start] === '\t') start++;
  if (start === i + 1) return undefined; // not indented: no block content
  let end = start;
  while (end < text.length && end - start < 512 && text[end] !== '\n' && text[end] !== '\r') end++;
  while (end > start && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return end > start ? [start, end] : undefined;
}

/** `password: UITextField! = nil`: what followed the colon was a type, and `=` comes next. */
function isTypeAnnotation(text: string, end: number): boolean {
  let i = end;
  while (i < text.length && i < end + 8 && (text[i] === ' ' || text[i] === '\t')) i++;
  return text[i] === '=' && text[i + 1] !== '=';
}

// Also the words that gate the argument shapes (secret-commands.ts): one scan finds both.
const HINT = /pass|pwd|secret|token|key|cred|pat|auth|identified|securestring/gi;

/** The cue of one HINT match: which argument shapes it makes possible. */
function cueOf(word: string): number {
  const c = word.charCodeAt(0) | 0x20;
  if (c === 0x61) return Cue.Auth; // auth
  if (c === 0x69) return Cue.Identified; // identified
  if (word.length === 12) return Cue.SecureString;
  return word.length === 4 && c === 0x70 && (word.charCodeAt(1) | 0x20) === 0x61 ? Cue.Pass : Cue.Key; // pass
}

/** `[\w.-]`: the characters of an assignment key after its first. */
function isKeyChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x5f ||
    c === 0x2e ||
    c === 0x2d
  );
}

/**
 * The parts of `text`, lower-cased, where a provider token could be: each run of token
 * characters that is twelve or more long with a digit, an upper-case letter after the first,
 * or one of `_+=%|~` (or forty or more of any kind), with the 64 characters before it where a
 * key name (`aws_secret_access_key = `) would be. Prose words, even joined by `/`, `-` or
 * `.`, are no such run, so most prompts yield '' and skip every token pattern.
 */
export function tokenWindows(text: string): string {
  // Only runs of twelve or more can qualify: they are found by skipping through the text
  // (runs.ts), which reads about a third of the characters of prose and allocates nothing
  // unless a run qualifies.
  let out = '';
  let covered = 0;
  const run: Span = { start: 0, end: 0 };
  for (let from = 0; nextRun(text, from, TOKEN_RUN, run); from = run.end) {
    const { start, end } = run;
    if (end - start >= 40 || isMixed(text, start, end)) {
      const from = Math.max(covered, start - 64);
      out += (from > covered ? '\n' : '') + text.slice(from, end).toLowerCase();
      covered = end;
    }
  }
  return out;
}

/** `[A-Za-z0-9./:_+=%|~-]`: the characters of a provider token. */
const TOKEN_CHARS = alnumClass('-./:_+=%|~');
const MIN_TOKEN_RUN = 12;
const TOKEN_RUN: RunKind = { member: TOKEN_CHARS, minLen: MIN_TOKEN_RUN };

/** A digit, one of `_+=%|~`, or a capital after the first character of `text[start, end)`. */
function isMixed(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) continue;
    if (c >= 0x41 && c <= 0x5a) {
      if (i > start) return true;
    } else if (c !== 0x2d && c !== 0x2e && c !== 0x2f && c !== 0x3a) return true; // a digit or `_+=%|~`
  }
  return false;
}
