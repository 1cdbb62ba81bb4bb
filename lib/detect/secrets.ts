/**
 * Credentials: provider token formats, private-key blocks, JWTs, credentials in URLs,
 * `Authorization` headers, `curl -u` and `key = value` assignments.
 *
 * Token shapes follow the public secret scanners' rule sets (gitleaks, trufflehog) as facts
 * about each provider's format; the code is ours. Every pattern is a fixed prefix followed by
 * bounded character-class runs, and each rule only runs when its literal prefix occurs in
 * the text, so the cost per scan is a handful of `includes` plus the rules that can match.
 */
import type { RawMatch } from './pii.js';
import { alnumClass, nextRun, type Span } from './runs.js';

/** Longest span a secret match (other than a private-key block) can have. */
export const SECRET_MAX_MATCH = 4096;
/** Longest private-key block we look for; longer blocks are cut at this length. */
export const PRIVATE_KEY_MAX = 16384;

interface Rule {
  type: string;
  re: RegExp;
  /** Lower-case literals, one of which must occur for the rule to run. */
  keywords: string[];
  /** Capture group holding the secret; 0 = the whole match. */
  group?: number;
  /** The provider's own published example shape is still its real format: don't skip "EXAMPLE". */
  allowExample?: boolean;
  /** Minimum Shannon entropy (bits per char) of the secret. */
  entropy?: number;
}

const B = '(?<![A-Za-z0-9_])';
const E = '(?![A-Za-z0-9_])';
const r = (src: string, flags = 'g') => new RegExp(src, flags);

const RULES: Rule[] = (
  [
    // AI providers
    {
      type: 'anthropic_api_key',
      re: r(`${B}sk-ant-(?:api|admin)\\d{2}-[A-Za-z0-9_-]{80,120}AA${E}`),
      keywords: ['sk-ant-'],
    },
    {
      type: 'openai_api_key',
      re: r(`${B}sk-(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{40,200}${E}`),
      keywords: ['sk-'],
      entropy: 3.5,
    },
    { type: 'openai_api_key', re: r(`${B}sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}${E}`), keywords: ['t3blbkfj'] },
    { type: 'openai_api_key', re: r(`${B}sk-[A-Za-z0-9]{48}${E}`), keywords: ['sk-'], entropy: 4 },
    { type: 'perplexity_api_key', re: r(`${B}pplx-[A-Za-z0-9]{48}${E}`), keywords: ['pplx-'], entropy: 3.5 },
    {
      type: 'huggingface_token',
      re: r(`${B}(?:hf_|api_org_)[A-Za-z]{34}${E}`),
      keywords: ['hf_', 'api_org_'],
      entropy: 3.8,
    },
    { type: 'groq_api_key', re: r(`${B}gsk_[A-Za-z0-9]{52}${E}`), keywords: ['gsk_'], entropy: 3.5 },
    { type: 'replicate_api_token', re: r(`${B}r8_[A-Za-z0-9]{37}${E}`), keywords: ['r8_'], entropy: 3.5 },
    { type: 'xai_api_key', re: r(`${B}xai-[A-Za-z0-9]{80}${E}`), keywords: ['xai-'], entropy: 3.5 },
    // Cloud
    {
      type: 'aws_access_key_id',
      re: r(`${B}(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}${E}`),
      keywords: ['akia', 'asia', 'abia', 'acca', 'a3t'],
      entropy: 3,
    },
    {
      type: 'aws_secret_access_key',
      re: r(
        `(?:aws|secret)[\\w.-]{0,30}["']?\\s{0,4}(?:=>|:=|=|:)\\s{0,4}["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])`,
        'gi',
      ),
      keywords: ['aws', 'secret'],
      group: 1,
      entropy: 4.2,
    },
    {
      type: 'aws_bedrock_api_key',
      re: r(`${B}ABSK[A-Za-z0-9+/]{109,269}={0,2}`),
      keywords: ['absk'],
      allowExample: true,
    },
    { type: 'google_api_key', re: r(`${B}AIza[A-Za-z0-9_-]{35}${E}`), keywords: ['aiza'], entropy: 4 },
    { type: 'google_oauth_secret', re: r(`${B}GOCSPX-[A-Za-z0-9_-]{28}${E}`), keywords: ['gocspx-'] },
    { type: 'google_oauth_token', re: r(`${B}ya29\\.[A-Za-z0-9_-]{30,1000}`), keywords: ['ya29.'], entropy: 4 },
    {
      type: 'gcp_service_account',
      re: r(`"private_key_id"\\s{0,4}:\\s{0,4}"([a-f0-9]{40})"`),
      keywords: ['private_key_id'],
      group: 1,
    },
    {
      type: 'azure_ad_client_secret',
      re: r(`(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])`),
      keywords: ['q~'],
      entropy: 3.5,
    },
    { type: 'azure_storage_key', re: r(`AccountKey=([A-Za-z0-9+/]{86}==)`), keywords: ['accountkey='], group: 1 },
    {
      type: 'azure_sas_token',
      re: r(`[?&]sig=([A-Za-z0-9%+/]{40,100}={0,2})`),
      keywords: ['sig='],
      group: 1,
      entropy: 3.5,
    },
    { type: 'digitalocean_token', re: r(`${B}do[opr]_v1_[a-f0-9]{64}${E}`), keywords: ['_v1_'] },
    { type: 'databricks_token', re: r(`${B}dapi[a-f0-9]{32}(?:-\\d)?${E}`), keywords: ['dapi'], entropy: 3 },
    { type: 'heroku_api_key', re: r(`${B}HRKU-AA[A-Za-z0-9_-]{58}`), keywords: ['hrku-'] },
    {
      type: 'flyio_token',
      re: r(`${B}(?:fo1_[\\w-]{43}|fm1[ar]_[A-Za-z0-9+/]{100,998}={0,3}|fm2_[A-Za-z0-9+/]{100,2000}={0,3})`),
      keywords: ['fo1_', 'fm1', 'fm2_'],
      entropy: 3.5,
    },
    {
      type: 'vault_token',
      re: r(`${B}(?:hvs\\.[\\w-]{90,120}|hvb\\.[\\w-]{138,300})${E}`),
      keywords: ['hvs.', 'hvb.'],
      entropy: 3.5,
    },
    {
      type: 'terraform_token',
      re: r(`${B}[a-z0-9]{14}\\.atlasv1\\.[a-z0-9_=-]{60,70}${E}`),
      keywords: ['atlasv1'],
      entropy: 3.5,
    },
    { type: 'alibaba_access_key', re: r(`${B}LTAI[A-Za-z0-9]{20}${E}`), keywords: ['ltai'], entropy: 3.5 },
    { type: 'clickhouse_api_secret', re: r(`${B}4b1d[A-Za-z0-9]{38}${E}`), keywords: ['4b1d'], entropy: 3.8 },
    { type: 'scalingo_api_token', re: r(`${B}tk-us-[\\w-]{48}${E}`), keywords: ['tk-us-'], entropy: 3.5 },
    // Code hosting and CI
    {
      type: 'github_token',
      re: r(`${B}gh[pousr]_[A-Za-z0-9]{36}${E}`),
      keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
      entropy: 3,
    },
    { type: 'github_token', re: r(`${B}github_pat_[A-Za-z0-9_]{82}${E}`), keywords: ['github_pat_'], entropy: 3 },
    {
      type: 'gitlab_token',
      re: r(`${B}(?:glpat|gldt|glrt|glcbt|glptt|glft|glimt|glagent|glsoat|gloas)-[A-Za-z0-9_.-]{20,64}${E}`),
      keywords: ['glpat-', 'gldt-', 'glrt-', 'glcbt-', 'glptt-', 'glft-', 'glimt-', 'glagent-', 'glsoat-', 'gloas-'],
      entropy: 3,
    },
    { type: 'gitlab_token', re: r(`${B}GR1348941[\\w-]{20}${E}`), keywords: ['gr1348941'], entropy: 3 },
    { type: 'bitbucket_token', re: r(`${B}ATBB[A-Za-z0-9_=.-]{32,64}${E}`), keywords: ['atbb'], entropy: 3.5 },
    { type: 'atlassian_api_token', re: r(`${B}ATATT3[A-Za-z0-9_=-]{150,250}(?:=[A-F0-9]{8})?`), keywords: ['atatt3'] },
    { type: 'npm_token', re: r(`${B}npm_[A-Za-z0-9]{36}${E}`), keywords: ['npm_'], entropy: 3.5 },
    { type: 'pypi_token', re: r(`${B}pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,1000}`), keywords: ['pypi-'] },
    { type: 'rubygems_token', re: r(`${B}rubygems_[a-f0-9]{48}${E}`), keywords: ['rubygems_'] },
    {
      type: 'sourcegraph_token',
      re: r(`${B}sgp_(?:[a-fA-F0-9]{16}|local)_[a-fA-F0-9]{40}${E}|${B}sgp_[a-fA-F0-9]{40}${E}`),
      keywords: ['sgp_'],
      entropy: 3,
    },
    {
      type: 'sourcegraph_token',
      re: r(`sourcegraph[\\w.-]{0,20}["']?\\s{0,4}[:=]\\s{0,4}["']?([a-fA-F0-9]{40})${E}`, 'gi'),
      keywords: ['sourcegraph'],
      group: 1,
      entropy: 3,
    },
    { type: 'sonar_token', re: r(`${B}sq[apu]_[a-f0-9A-F]{40}${E}`), keywords: ['sqa_', 'sqp_', 'squ_'] },
    {
      type: 'sonar_token',
      re: r(`sonar[\\w.-]{0,20}["']?\\s{0,4}[:?]{0,3}=\\s{0,4}["']?([A-Za-z0-9]{40})${E}`, 'gi'),
      keywords: ['sonar'],
      group: 1,
      entropy: 3,
    },
    {
      type: 'snyk_token',
      re: r(
        `snyk[\\w.-]{0,20}["']?\\s{0,4}[:?]{0,3}=\\s{0,4}["']?([a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12})`,
        'gi',
      ),
      keywords: ['snyk'],
      group: 1,
    },
    {
      type: 'grafana_token',
      re: r(
        `${B}(?:glc_[A-Za-z0-9+/]{32,400}={0,2}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|eyJrIjoi[A-Za-z0-9]{70,400}={0,2})`,
      ),
      keywords: ['glc_', 'glsa_', 'eyjrijoi'],
      entropy: 3.5,
    },
    {
      type: 'sentry_token',
      re: r(`${B}(?:sntrys_eyJ[A-Za-z0-9+/=]{60,600}_[A-Za-z0-9+/=]{43}|sntryu_[a-f0-9]{64})`),
      keywords: ['sntrys_', 'sntryu_'],
    },
    { type: 'intra42_client_secret', re: r(`${B}s-s4t2(?:ud|af)-[a-f0-9]{64}${E}`), keywords: ['s-s4t2'] },
    {
      type: 'onepassword_secret_key',
      re: r(`${B}A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}${E}`),
      keywords: ['a3-'],
    },
    {
      type: 'onepassword_service_token',
      re: r(`${B}ops_eyJ[A-Za-z0-9+/]{250,4000}={0,3}`),
      keywords: ['ops_eyj'],
      entropy: 3.5,
    },
    {
      type: 'age_secret_key',
      re: r(`AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}`),
      keywords: ['age-secret-key-1'],
    },
    // Messaging and SaaS
    {
      type: 'slack_token',
      re: r(`${B}xox[pe](?:-\\d{10,13}){3}-[A-Za-z0-9-]{28,34}${E}`),
      keywords: ['xoxp-', 'xoxe-'],
    },
    { type: 'slack_token', re: r(`${B}xoxb-\\d{10,13}-\\d{10,13}-?[A-Za-z0-9]{0,40}${E}`), keywords: ['xoxb-'] },
    { type: 'slack_token', re: r(`${B}xoxb-\\d{8,14}-[A-Za-z0-9]{18,26}${E}`), keywords: ['xoxb-'], entropy: 3 },
    {
      type: 'slack_token',
      re: r(`${B}xox[os]-\\d{1,20}-\\d{1,20}-\\d{1,20}-[a-fA-F0-9]{8,200}${E}`),
      keywords: ['xoxo-', 'xoxs-'],
    },
    {
      type: 'slack_token',
      re: r(`${B}xox[ar]-(?:\\d-)?[A-Za-z0-9-]{8,120}`),
      keywords: ['xoxa-', 'xoxr-'],
      entropy: 2.5,
    },
    { type: 'slack_token', re: r(`${B}xapp-\\d-[A-Z0-9]{1,20}-\\d{1,20}-[a-z0-9]{32,128}${E}`), keywords: ['xapp-'] },
    {
      type: 'slack_token',
      re: r(`${B}xoxe\\.xox[bp]-\\d-[A-Z0-9]{163,166}${E}|${B}xoxe-\\d-[A-Z0-9]{146}${E}`),
      keywords: ['xoxe'],
    },
    {
      type: 'slack_webhook',
      re: r(`(?:https?://)?hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/]{43,80}`),
      keywords: ['hooks.slack.com'],
    },
    {
      type: 'discord_webhook',
      re: r(`https://(?:ptb\\.|canary\\.)?discord(?:app)?\\.com/api/webhooks/\\d{1,20}/[\\w-]{60,68}`),
      keywords: ['discord'],
    },
    {
      type: 'discord_bot_token',
      re: r(`${B}[MNO][A-Za-z\\d_-]{23,25}\\.[\\w-]{6}\\.[\\w-]{27,38}${E}`),
      keywords: ['.'],
      entropy: 4,
    },
    { type: 'telegram_bot_token', re: r(`${B}\\d{8,10}:AA[A-Za-z0-9_-]{33}${E}`), keywords: [':aa'] },
    {
      type: 'stripe_key',
      re: r(`${B}(?:sk|rk)_(?:test|live|prod)_[A-Za-z0-9]{10,247}${E}`),
      keywords: ['sk_', 'rk_'],
      entropy: 3,
    },
    { type: 'stripe_webhook_secret', re: r(`${B}whsec_[A-Za-z0-9]{32,64}${E}`), keywords: ['whsec_'], entropy: 3 },
    { type: 'twilio_api_key', re: r(`${B}SK[0-9a-fA-F]{32}${E}`), keywords: ['sk'], entropy: 3.2 },
    { type: 'sendgrid_api_key', re: r(`${B}SG\\.[\\w-]{22}\\.[\\w-]{43}${E}`), keywords: ['sg.'] },
    { type: 'mailgun_api_key', re: r(`${B}key-[a-f0-9]{32}${E}`), keywords: ['key-'], entropy: 3.2 },
    { type: 'mailchimp_api_key', re: r(`${B}[a-f0-9]{32}-us\\d{1,2}${E}`), keywords: ['-us'], entropy: 3.2 },
    {
      type: 'shopify_token',
      re: r(`${B}shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}${E}`),
      keywords: ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
    },
    {
      type: 'notion_token',
      re: r(`${B}ntn_\\d{11}[A-Za-z0-9]{35}${E}|${B}secret_[A-Za-z0-9]{43}${E}`),
      keywords: ['ntn_', 'secret_'],
      entropy: 3.5,
    },
    { type: 'linear_api_key', re: r(`${B}lin_api_[A-Za-z0-9]{40}${E}`), keywords: ['lin_api_'] },
    { type: 'postman_api_key', re: r(`${B}PMAK-[a-f0-9]{24}-[a-f0-9]{34}${E}`), keywords: ['pmak-'] },
    { type: 'doppler_token', re: r(`${B}dp\\.pt\\.[A-Za-z0-9]{43}${E}`), keywords: ['dp.pt.'] },
    { type: 'dynatrace_token', re: r(`${B}dt0c01\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}${E}`), keywords: ['dt0c01.'] },
    { type: 'newrelic_key', re: r(`${B}NR(?:AK|II|JS)-[A-Za-z0-9]{27}${E}`), keywords: ['nrak-', 'nrii-', 'nrjs-'] },
    { type: 'facebook_token', re: r(`${B}EAA[MC][A-Za-z0-9]{100,400}${E}`), keywords: ['eaam', 'eaac'], entropy: 3.5 },
    { type: 'facebook_token', re: r(`${B}\\d{15,16}[|%][A-Za-z0-9_-]{27,40}${E}`), keywords: ['|', '%'], entropy: 3.5 },
    {
      type: 'sumologic_access_id',
      re: r(`sumo[\\w.-]{0,20}?access_?id["']?\\s{0,4}[:=]\\s{0,4}["']?(su[A-Za-z0-9]{12})${E}`, 'gi'),
      keywords: ['sumo'],
      group: 1,
      entropy: 3,
    },
    {
      type: 'sidekiq_secret',
      re: r(`BUNDLE_(?:ENTERPRISE|GEMS)__CONTRIBSYS__COM["']?\\s{0,4}[:=]\\s{0,4}["']?([a-f0-9]{8}:[a-f0-9]{8})`, 'gi'),
      keywords: ['contribsys'],
      group: 1,
    },
    {
      type: 'artifactory_token',
      re: r(`${B}(?:AKCp[A-Za-z0-9]{69}|cmVmd[A-Za-z0-9]{59})${E}`),
      keywords: ['akcp', 'cmvmd'],
      entropy: 4,
    },
    {
      type: 'jwt',
      re: r(`${B}eyJ[A-Za-z0-9_-]{14,1500}\\.eyJ[A-Za-z0-9_/\\\\-]{14,2400}\\.?[A-Za-z0-9_/\\\\-]{0,600}={0,2}`),
      keywords: ['eyj'],
    },
    { type: 'jwt', re: r(`${B}eyJ[A-Za-z0-9_-]{10,1500}\\.eyJ[A-Za-z0-9_-]{10,2400}\\.`), keywords: ['eyj'] },
  ] satisfies Rule[]
).map((rule) =>
  // Group offsets need match indices (the `d` flag), which cost a little: only where used.
  rule.group === undefined ? rule : { ...rule, re: new RegExp(rule.re.source, rule.re.flags + 'd') },
);

const PEM_BEGIN = /-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;
const URL_CRED = /\b[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/([^\s:@/"'<>]{0,64}):([^\s@/"'<>]{1,128})@[A-Za-z0-9.-]{1,253}/g;
const AUTH_HEADER =
  /\b(?:proxy-)?authorization["']?\s{0,4}[:=]\s{0,4}["']?(?:(?:bearer|basic|token|digest|apikey|api-key|bot|sso-key)\s{1,4})?([A-Za-z0-9._~+/=:-]{8,2048})/gi;
const CURL_USER = /(?:\s|^)(?:-u|--user)\s{1,4}(["']?)([^\s"']{0,128})\1(?:(["'])([^\s"']{1,128})\3)?/g;
const ASSIGN =
  /(?<![\w.$-])(["'`]?)([A-Za-z_@$][\w.-]{0,60})\1[ \t]{0,4}(?:=>|:{1,3}=|\?=|!=|=|:|,)[ \t]{0,4}(\\?["'`])?/y;
// Case-insensitive presence tests: cheaper than lower-casing the whole text for two words.
const AUTHORIZATION = /authorization/i;
const CURL = /curl/i;
const CLI_FLAG = /(?:^|\s)--?([A-Za-z][\w-]{0,40})[ \t]{1,4}(["']?)/g;

const PLACEHOLDER =
  /^(?:changeme|change_me|password|passwd|secret|token|example|sample|dummy|test|testing|none|null|nil|undefined|true|false|todo|tbd|redacted|placeholder|your[\w-]*|my[\w-]*|insert[\w-]*|enter[\w-]*|replace[\w-]*|foo|bar|baz|foobar|admin|root|user|username|pass|xxx+|\*+|\.+|-+|_+)$/i;

/** Shannon entropy of `s` in bits per character. */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** True for values that are obviously not a real credential: templates, masks, examples. */
export function isPlaceholder(v: string): boolean {
  if (PLACEHOLDER.test(v)) return true;
  if (/[$%]\{|\{\{|<[^>]*>|^\$[A-Za-z_(]|^%[A-Za-z_]+%$|^\[[^\]]*\]$|^\{[^}]*\}$|^\$\(/.test(v)) return true;
  if (/x{5,}|X{5,}|\*{3,}|#{4,}|\.{3}|0{8,}/.test(v)) return true;
  if (/example|sample|dummy|placeholder|redacted|your[_-]?(?:api|secret|token|key|pass)/i.test(v)) return true;
  if (/^[{<[$%`]/.test(v)) return true; // template or shell variable, possibly cut short
  if (KNOWN_EXAMPLES.has(v)) return true;
  return false;
}

// Published example credentials (AWS documentation, the Firebase Android SDK's sample
// keys): they appear in countless docs and tests and grant nothing.
const KNOWN_EXAMPLES = new Set([
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'AIzaSyabcdefghijklmnopqrstuvwxyz1234567',
  'AIzaSyAnLA7NfeLquW1tJFpx_eQCxoX-oo6YyIs',
  'AIzaSyCkEhVjf3pduRDt6d1yKOMitrUEke8agEM',
  'AIzaSyDMAScliyLx7F0NPDEJi1QmyCgHIAODrlU',
  'AIzaSyD3asb-2pEZVqMkmL6M9N6nHZRR_znhrh0',
  'AIzayDNSXIbFmlXbIE6mCzDLQAqITYefhixbX4A',
  'AIzaSyAdOS2zB6NCsk1pCdZ4-P6GBdi_UUPwX7c',
  'AIzaSyASWm6HmTMdYWpgMnjRBjxcQ9CKctWmLd4',
  'AIzaSyANUvH9H9BsUccjsu2pCmEkOPjjaXeDQgY',
  'AIzaSyA5_iVawFQ8ABuTZNUdcwERLJv_a_p4wtM',
  'AIzaSyA4UrcGxgwQFTfaI3no3t7Lt1sjmdnP5sQ',
  'AIzaSyDSb51JiIcB6OJpwwMicseKRhhrOq1cS7g',
]);

const CRED_HINT = /pass|pwd|secret|token|key|cred|pat$/i;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function splitWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

const CRED_WORDS = new Set([
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'pass',
  'secret',
  'secrets',
  'token',
  'apikey',
  'credential',
  'credentials',
  'pat',
]);
const KEY_QUALIFIERS = new Set([
  'api',
  'access',
  'auth',
  'private',
  'secret',
  'signing',
  'encryption',
  'master',
  'client',
  'app',
  'service',
  'account',
  'license',
  'session',
  'x',
]);
const NOT_CRED_TAIL = new Set([
  'id',
  'ids',
  'name',
  'names',
  'size',
  'length',
  'len',
  'type',
  'types',
  'file',
  'path',
  'dir',
  'url',
  'uri',
  'endpoint',
  'host',
  'hash',
  'sha',
  'sha1',
  'sha256',
  'md5',
  'digest',
  'checksum',
  'count',
  'mode',
  'format',
  'field',
  'header',
  'prefix',
  'index',
  'version',
  'selector',
  'ref',
  'env',
  'var',
  'source',
  'policy',
  'expiry',
  'expires',
  'ttl',
  'timeout',
  'label',
  'hint',
  'regex',
  'pattern',
  'min',
  'max',
  'chars',
  'store',
  'provider',
  'manager',
  'location',
  'arn',
  'param',
  'params',
  'column',
  'table',
  'required',
  'enabled',
  'strength',
  'reset',
  'confirm',
  'confirmation',
  'validation',
  'error',
  'message',
  'placeholder',
  'input',
  'salt',
  'rounds',
  'iterations',
  'algorithm',
  'alg',
  'usage',
  'limit',
  'lifetime',
  'endpoint',
]);
const NOT_CRED_ANY = new Set([
  'csrf',
  'xsrf',
  'authenticity',
  'public',
  'pub',
  'keyframe',
  'keyboard',
  'keyword',
  'keywords',
  'monkey',
  'turkey',
  'hotkey',
  'tokenizer',
  'tokens',
  'max',
  'sort',
  'primary',
  'foreign',
  'cache',
  'partition',
  'routing',
  'lookup',
  'next',
  'page',
  'continuation',
  'cursor',
  'sequence',
  'idempotency',
  'dedup',
  'storage',
  'pagination',
]);

/** How strongly an assignment's key name says "credential": 0 none, 1 key-ish, 2 password, 3 token/secret. */
function keyStrength(key: string): number {
  const words = splitWords(key);
  if (words.length === 0) return 0;
  const last = words[words.length - 1] as string;
  if (NOT_CRED_TAIL.has(last)) return 0;
  if (words.some((w) => NOT_CRED_ANY.has(w))) return 0;
  let best = 0;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (w === 'password' || w === 'passwd' || w === 'pwd' || w === 'passphrase' || (w === 'pass' && words.length > 1))
      best = Math.max(best, 2);
    else if (CRED_WORDS.has(w)) best = Math.max(best, 3);
    else if (w === 'key' || w === 'keys') {
      const prev = words[i - 1];
      if (prev !== undefined && KEY_QUALIFIERS.has(prev)) best = Math.max(best, 3);
      else if (i === words.length - 1) best = Math.max(best, 1);
    } else if (
      /^(?:api|access|auth|secret|private|client)key$/.test(w) ||
      /^(?:access|auth|api|bearer|refresh|session)token$/.test(w)
    ) {
      best = Math.max(best, 3);
    } else if (/password$|passwd$|secret$/.test(w)) best = Math.max(best, 2);
  }
  return best;
}

/** Read a value starting at `i`: quoted (up to the closing quote) or bare (up to a delimiter). */
function readValue(text: string, i: number, quote: string | undefined): [number, number] {
  const q = quote !== undefined ? quote[quote.length - 1] : undefined;
  const limit = Math.min(text.length, i + 512);
  let j = i;
  if (q !== undefined) {
    while (j < limit && text[j] !== q && text[j] !== '\n' && text[j] !== '\\') j++;
  } else {
    while (j < limit && !/[\s"'`;,)}\]<>\\]/.test(text[j] as string)) j++;
  }
  return [i, j];
}

function looksLikeCode(v: string): boolean {
  // Identifiers, dotted member access, paths and calls are code, not secrets.
  if (/^[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)+(?:\(.*)?$/.test(v)) return true;
  if (/^[a-z]+(?:[_-][a-z]+)*$/.test(v) || /^[A-Z]+(?:_[A-Z0-9]+)*$/.test(v)) return true;
  if (/^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+$/.test(v) && !/\d.*\d.*\d/.test(v)) return true;
  if (/^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(v) || /\.(?:pem|key|crt|cer|json|ya?ml|txt|env|p12|pfx|jks)$/i.test(v))
    return true;
  if (/^(?:https?|s3|gs|file):\/\//i.test(v)) return true;
  if (/^\d+(?:\.\d+)*$/.test(v)) return true;
  return false;
}

function valueIsSecret(v: string, strength: number, key: string): boolean {
  if (v.length === 0 || isPlaceholder(v) || looksLikeCode(v)) return false;
  const h = shannonEntropy(v);
  if (strength === 2) {
    // Passwords are human-chosen: accept lower entropy but not trivial values.
    return v.length >= 6 && v.length <= 128 && h >= 2.2 && !/^(.)\1+$/.test(v);
  }
  if (v.length < 12 || v.length > 512) return false;
  if (UUID.test(v)) return !/id$/i.test(key);
  const hexOnly = /^[0-9a-fA-F]+$/.test(v);
  if (hexOnly) return h >= 2.8 && (strength >= 3 || v.length >= 32);
  if (!/\d/.test(v) && !/[A-Z]/.test(v.slice(1))) return false;
  return h >= (strength >= 3 ? 3.2 : 3.7);
}

interface Ctx {
  text: string;
  out: RawMatch[];
}

function pushMatch(ctx: Ctx, type: string, start: number, end: number): void {
  ctx.out.push({ type, start, end });
}

/** Find credentials in `text` (the folded normalized view). */
export function findSecrets(text: string): RawMatch[] {
  const ctx: Ctx = { text, out: [] };
  // Every provider token is one run of token characters, its keyword in the run or in the
  // key name just before it: keywords are looked for there only, and prose without such a
  // run (most prompts) skips them and all of their patterns.
  const windows = tokenWindows(text);
  for (const rule of windows === '' ? [] : RULES) {
    if (!rule.keywords.some((k) => windows.includes(k))) continue;
    rule.re.lastIndex = 0;
    for (let m = rule.re.exec(text); m !== null; m = rule.re.exec(text)) {
      if (m[0].length === 0) {
        rule.re.lastIndex++;
        continue;
      }
      const g = rule.group ?? 0;
      const s = m[g];
      if (s === undefined) continue;
      const start = g === 0 ? m.index : (m.indices?.[g]?.[0] ?? m.index);
      if (
        (rule.allowExample !== true && isPlaceholder(s)) ||
        (rule.entropy !== undefined && shannonEntropy(s) < rule.entropy)
      )
        continue;
      pushMatch(ctx, rule.type, start, start + s.length);
    }
  }
  findPrivateKeys(ctx);
  if (text.includes('://')) findUrlCredentials(ctx);
  if (AUTHORIZATION.test(text)) findAuthHeaders(ctx);
  if (text.includes('-u') && CURL.test(text)) findCurlUser(ctx);
  findAssignments(ctx);
  return ctx.out;
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
    if (text.startsWith('-----END', stop)) {
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
    if (data.length < 16 || shannonEntropy(data) < 3.5) continue;
    pushMatch(ctx, 'private_key', m.index, end);
    PEM_BEGIN.lastIndex = end;
  }
}

function findUrlCredentials(ctx: Ctx): void {
  const { text } = ctx;
  URL_CRED.lastIndex = 0;
  for (let m = URL_CRED.exec(text); m !== null; m = URL_CRED.exec(text)) {
    const pass = m[2] ?? '';
    if (isPlaceholder(pass) || pass.length < 3 || /^[$%{<[*]/.test(pass)) continue;
    const userStart = m.index + m[0].indexOf('://') + 3;
    const passEnd = userStart + (m[1] ?? '').length + 1 + pass.length;
    pushMatch(ctx, 'url_credentials', userStart, passEnd);
  }
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
  // A credential key contains one of these; the key around each occurrence is then tried
  // with the sticky ASSIGN pattern, instead of matching every `word:` and `word,` of prose.
  HINT.lastIndex = 0;
  let resume = 0;
  let any = false;
  for (let h = HINT.exec(text); h !== null; h = HINT.exec(text)) {
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
    const [vs, ve] = readValue(text, m.index + m[0].length, m[3]);
    // Resume after the value: `password=password=…` must not re-read the same value
    // from every key inside it, which would make the scan quadratic.
    if (ve > resume) resume = ve;
    HINT.lastIndex = Math.max(HINT.lastIndex, resume);
    const v = text.slice(vs, ve);
    if (!valueIsSecret(v, strength, key)) continue;
    pushMatch(ctx, strength === 2 ? 'password' : 'credential_assignment', vs, ve);
  }
  if (!any || !text.includes('-')) return;
  CLI_FLAG.lastIndex = 0;
  for (let m = CLI_FLAG.exec(text); m !== null; m = CLI_FLAG.exec(text)) {
    const key = m[1] ?? '';
    const strength = keyStrength(key);
    if (strength < 2) continue;
    const [vs, ve] = readValue(text, m.index + m[0].length, m[2] === '' ? undefined : m[2]);
    const v = text.slice(vs, ve);
    if (!valueIsSecret(v, strength, key)) continue;
    pushMatch(ctx, strength === 2 ? 'password' : 'credential_assignment', vs, ve);
  }
}

const HINT = /pass|pwd|secret|token|key|cred|pat/gi;

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
  for (let from = 0; nextRun(text, from, MIN_TOKEN_RUN, TOKEN_CHARS, run); from = run.end) {
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
