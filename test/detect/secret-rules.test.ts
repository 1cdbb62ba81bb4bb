import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanText } from '../../lib/detect/index.js';
import { findSecrets } from '../../lib/detect/secrets.js';
import { SECRET_RULES } from '../../lib/detect/secret-rules.js';
import { base62, crc32, hasGithubChecksum, isJwt } from '../../lib/detect/secret-validate.js';
import { streamCut, textPolicy } from '../helpers/stream-text.js';
import { ALNUM, B64, B64URL, DIGIT, HEX, LOWER, LOWNUM, UPNUM, UPPER, r } from '../helpers/random-text.js';

// Every string here is generated at run time from a fixed seed (test/helpers/random-text.ts).
const d = (n: number) => '1' + r(DIGIT, n - 1);
const uuid = () => [8, 4, 4, 4, 12].map((n) => r(HEX, n)).join('-');
const b64url = (s: string) => btoa(s).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const jwt = () =>
  [b64url('{"alg":"HS256","typ":"JWT"}'), b64url(`{"sub":"${d(10)}","iat":${d(10)}}`), r(B64URL, 43)].join('.');
const checksummed = (prefix: string) => {
  const body = r(ALNUM, 30);
  return prefix + body + base62(crc32(body), 6);
};

/** Per rule id: the text, and the secret in it when the text also holds a key name. */
const EXAMPLES: Record<string, [text: string, secret?: string]> = {};
function ex(id: string, text: string, secret?: string): void {
  EXAMPLES[id] = secret === undefined ? [text] : [text, secret];
}
function keyed(id: string, key: string, secret: string): void {
  ex(id, key + secret, secret);
}
ex('anthropic-api-key', 'sk-ant-api03-' + r(B64URL, 93) + 'AA');
ex('openai-project-key', 'sk-proj-' + r(B64URL, 74) + 'T3BlbkFJ' + r(B64URL, 74));
ex('openai-legacy-key', 'sk-' + r(ALNUM, 20) + 'T3BlbkFJ' + r(ALNUM, 20));
ex('openai-key-48', 'sk-' + r(ALNUM, 48));
ex('perplexity-api-key', 'pplx-' + r(ALNUM, 48));
ex('huggingface-token', 'hf_' + r(LOWER + UPPER, 34));
ex('groq-api-key', 'gsk_' + r(ALNUM, 52));
ex('replicate-api-token', 'r8_' + r(ALNUM, 37));
ex('xai-api-key', 'xai-' + r(ALNUM, 80));
ex('openrouter-api-key', 'sk-or-v1-' + r(HEX, 64));
ex('deepseek-api-key', 'sk-' + r(HEX, 32));
ex('langsmith-api-key', 'lsv2_pt_' + r(HEX, 32) + '_' + r(HEX, 10));
keyed(
  'azure-shared-access-key',
  'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey=',
  r(B64, 43) + '=',
);
ex('firebase-fcm-server-key', 'AAAA' + r(B64URL, 7) + ':APA91b' + r(B64URL, 134));
ex('launchdarkly-key', 'sdk-' + uuid());
ex('mapbox-secret-token', 'sk.' + b64url('{"u":"acme","a":"' + r(LOWNUM, 25) + '"}') + '.' + r(B64URL, 22));
ex('twitter-bearer-token', 'A'.repeat(22) + r(ALNUM, 90));
ex('contentful-token', 'CFPAT-' + r(B64URL, 43));
ex('elevenlabs-api-key', 'sk_' + r(HEX, 48));
ex('google-oauth-refresh-token', '1//0' + r(B64URL, 100));
ex('amazon-mws-token', 'amzn.mws.' + uuid());
ex('slack-client-token', ['xoxc', d(10), d(10), d(12), r(HEX, 64)].join('-'));
ex('plaid-access-token', 'access-production-' + uuid());
ex('aws-access-key-id', 'AKIA' + r(UPPER + '234567', 16));
keyed('aws-secret-access-key', 'aws_secret_access_key = ', r(ALNUM, 40));
ex('aws-bedrock-api-key', 'ABSK' + r(B64, 120));
ex('google-api-key', 'AIza' + r(B64URL, 35));
ex('google-oauth-secret', 'GOCSPX-' + r(B64URL, 28));
ex('google-oauth-token', 'ya29.' + r(B64URL, 100));
const gcpKeyId = r(HEX, 40);
ex('gcp-service-account', `{ "type": "service_account", "private_key_id": "${gcpKeyId}" }`, gcpKeyId);
ex('azure-ad-client-secret', r(ALNUM, 3) + '8Q~' + r(ALNUM, 34));
keyed('azure-storage-key', 'DefaultEndpointsProtocol=https;AccountKey=', r(B64, 86) + '==');
keyed('azure-sas-token', 'https://acct.blob.core.windows.net/c?sv=2022-11-02&sig=', r(ALNUM, 44) + '=');
ex('digitalocean-token', 'dop_v1_' + r(HEX, 64));
ex('databricks-token', 'dapi' + r(HEX, 32));
ex('heroku-api-key-v2', 'HRKU-AA' + r(B64URL, 58));
keyed('heroku-api-key', 'HEROKU_API_KEY=', uuid());
ex('flyio-token', 'fo1_' + r(B64URL, 43));
ex('vault-service-token', 'hvs.' + r(B64URL, 95));
keyed('vault-legacy-token', 'VAULT_TOKEN=', 's.' + r(ALNUM, 24));
ex('terraform-cloud-token', r(ALNUM, 14) + '.atlasv1.' + r(B64URL, 64));
ex('alibaba-access-key', 'LTAI' + r(ALNUM, 20));
ex('clickhouse-api-secret', '4b1d' + r(ALNUM, 38));
ex('scalingo-api-token', 'tk-us-' + r(B64URL, 48));
ex('cloudflare-api-token', 'cfat_' + r(ALNUM, 40) + r(HEX, 8));
ex('cloudflare-origin-ca-key', 'v1.0-' + r(HEX, 24) + '-' + r(HEX, 146));
ex('supabase-token', 'sbp_' + r(HEX, 40));
ex('vercel-token', 'vcp_' + r(ALNUM, 48));
keyed('netlify-token', 'NETLIFY_AUTH_TOKEN=', r(B64URL, 43));
ex('planetscale-token', 'pscale_tkn_' + r(ALNUM, 43));
ex('pulumi-token', 'pul-' + r(HEX, 40));
ex('doppler-token', 'dp.pt.' + r(ALNUM, 43));
ex('tailscale-key', 'tskey-auth-' + r(ALNUM, 12) + '-' + r(ALNUM, 30));
ex('docker-pat', 'dckr_pat_' + r(B64URL, 27));
ex('github-token', checksummed('ghp_'));
ex('github-refresh-token-76', 'ghr_' + r(ALNUM, 76));
ex('github-installation-token', 'ghs_' + d(6) + '_' + jwt());
ex('github-fine-grained-pat', 'github_pat_' + r(ALNUM, 22) + '_' + r(ALNUM, 59));
ex('gitlab-token', 'glpat-' + r(B64URL, 20));
ex('gitlab-routable-token', 'glpat-' + r(B64URL, 40) + '.' + r(LOWNUM, 9));
ex('gitlab-runner-registration-token', 'GR1348941' + r(B64URL, 20));
ex('bitbucket-token', 'ATBB' + r(ALNUM, 40));
ex('atlassian-api-token', 'ATATT3' + r(B64URL, 186));
ex('npm-token', checksummed('npm_'));
keyed('npmrc-auth-token', '//registry.npmjs.org/:_authToken=', r(ALNUM, 36));
ex('pypi-token', 'pypi-AgEIcHlwaS5vcmc' + r(B64URL, 70));
ex('rubygems-token', 'rubygems_' + r(HEX, 48));
ex('clojars-token', 'CLOJARS_' + r(LOWNUM, 60));
ex('sourcegraph-token', 'sgp_' + r(HEX, 16) + '_' + r(HEX, 40));
keyed('sourcegraph-keyed-token', 'SOURCEGRAPH_TOKEN=', r(HEX, 40));
ex('sonar-token', 'squ_' + r(HEX, 40));
keyed('sonar-keyed-token', 'sonar.login=', r(ALNUM, 40));
keyed('snyk-token', 'SNYK_TOKEN=', uuid());
ex('grafana-token', 'glsa_' + r(ALNUM, 32) + '_' + r(HEX, 8));
ex('sentry-token', 'sntryu_' + r(HEX, 64));
ex('intra42-client-secret', 's-s4t2ud-' + r(HEX, 64));
ex('onepassword-secret-key', ['A3', r(UPNUM, 6), r(UPNUM, 11), r(UPNUM, 5), r(UPNUM, 5), r(UPNUM, 5)].join('-'));
ex('onepassword-service-token', 'ops_eyJ' + r(B64, 300));
ex('age-secret-key', 'AGE-SECRET-KEY-1' + r('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58));
ex('prefect-token', 'pnu_' + r(ALNUM, 36));
ex('readme-token', 'rdme_' + r(LOWNUM, 70));
ex('infracost-token', 'ico-' + r(ALNUM, 32));
ex('harness-token', 'pat.' + r(B64URL, 22) + '.' + r(ALNUM, 24) + '.' + r(ALNUM, 20));
ex('octopus-deploy-key', 'API-' + r(UPNUM, 26));
ex('openshift-token', 'sha256~' + r(B64URL, 43));
ex('slack-user-token', ['xoxp', d(11), d(11), d(12), r(ALNUM, 32)].join('-'));
ex('slack-legacy-user-token', ['xoxp', d(6), d(6), d(6), r(HEX, 18)].join('-'));
ex('slack-bot-token', ['xoxb', d(12), d(13), r(ALNUM, 24)].join('-'));
ex('slack-legacy-bot-token', ['xoxb', d(10), r(ALNUM, 24)].join('-'));
ex('slack-legacy-token', ['xoxs', d(10), d(10), d(10), r(HEX, 64)].join('-'));
ex('slack-workspace-token', 'xoxr-' + r(ALNUM, 40));
ex('slack-app-token', ['xapp', '1', r(UPNUM, 11), d(13), r(LOWNUM, 64)].join('-'));
ex('slack-config-token', 'xoxe.xoxp-1-' + r(UPNUM, 164));
ex('slack-webhook', `https://hooks.slack.com/services/T${r(UPNUM, 8)}/B${r(UPNUM, 10)}/${r(ALNUM, 24)}`);
ex('discord-webhook', `https://discord.com/api/webhooks/${d(18)}/${r(B64URL, 68)}`);
ex('discord-bot-token', 'M' + r(ALNUM, 23) + '.' + r(ALNUM, 6) + '.' + r(ALNUM, 27));
ex(
  'teams-webhook',
  `https://acme.webhook.office.com/webhookb2/${uuid()}@${uuid()}/IncomingWebhook/${r(HEX, 32)}/${uuid()}`,
);
ex('telegram-bot-token', d(10) + ':AA' + r(B64URL, 33));
ex('stripe-key', 'sk_live_' + r(ALNUM, 99));
ex('stripe-webhook-secret', 'whsec_' + r(ALNUM, 32));
ex('square-token', 'sq0csp-' + r(B64URL, 43));
ex('paypal-braintree-token', `access_token$production$${r(LOWNUM, 16)}$${r(HEX, 32)}`);
ex('twilio-api-key', 'SK' + r(HEX, 32));
ex('twilio-account-sid', 'AC' + r(HEX, 32));
ex('sendgrid-api-key', 'SG.' + r(B64URL, 22) + '.' + r(B64URL, 43));
ex('sendinblue-api-key', 'xkeysib-' + r(HEX, 64) + '-' + r(ALNUM, 16));
ex('mailgun-api-key', 'key-' + r(HEX, 32));
ex('mailgun-signing-key', r(HEX, 32) + '-' + r(HEX, 8) + '-' + r(HEX, 8));
ex('mailchimp-api-key', r(HEX, 32) + '-us12');
ex('shopify-token', 'shpat_' + r(HEX, 32));
ex('notion-token', 'ntn_' + d(11) + r(ALNUM, 35));
ex('linear-api-key', 'lin_api_' + r(ALNUM, 40));
ex('figma-token', 'figd_' + r(B64URL, 50));
ex('postman-api-key', 'PMAK-' + r(HEX, 24) + '-' + r(HEX, 34));
ex('dynatrace-token', 'dt0c01.' + r(UPNUM, 24) + '.' + r(UPNUM, 64));
ex('newrelic-key', 'NRAK-' + r(UPNUM, 27));
keyed('okta-token', 'OKTA_API_TOKEN=', '00' + r(B64URL, 40));
keyed('pagerduty-key', 'PAGERDUTY_API_KEY=', 'u+' + r(ALNUM, 18));
ex('dropbox-token', 'sl.' + r(B64URL, 140));
ex('facebook-page-token', 'EAAC' + r(ALNUM, 150));
ex('facebook-access-token', d(15) + '|' + r(B64URL, 30));
keyed('sumologic-access-id', 'SUMO_ACCESS_ID=', 'su' + r(ALNUM, 12));
keyed('sidekiq-secret', 'BUNDLE_GEMS__CONTRIBSYS__COM=', r(HEX, 8) + ':' + r(HEX, 8));
ex('artifactory-token', 'AKCp' + r(ALNUM, 69));
ex('easypost-token', 'EZAK' + r(ALNUM, 54));
ex('shippo-token', 'shippo_live_' + r(HEX, 40));
ex('duffel-token', 'duffel_live_' + r(B64URL, 43));
ex('typeform-token', 'tfp_' + r(B64URL, 59));
ex('flutterwave-key', 'FLWSECK_TEST-' + r('abcdefgh0123456789', 32) + '-X');
ex('maxmind-license-key', r(ALNUM, 6) + '_' + r(ALNUM, 29) + '_mmk');
ex('adobe-client-secret', 'p8e-' + r(ALNUM, 32));
ex('airtable-token', 'pat' + r(ALNUM, 14) + '.' + r(HEX, 64));
ex('jwt', jwt());

const found = (text: string) => scanText(text, { injection: 'off', pii: 'off' }).findings;

describe('the rule table', () => {
  it('has unique ids and one example per rule', () => {
    const ids = SECRET_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.keys(EXAMPLES).sort()).toEqual([...ids].sort());
  });

  it.each(SECRET_RULES.map((rule) => [rule.id, rule] as const))('%s: its example matches it', (id, rule) => {
    const [text, secret = text] = EXAMPLES[id] as [string, string?];
    const re = new RegExp(rule.pattern, 'd' + (rule.ignoreCase === true ? 'i' : ''));
    const m = re.exec(text);
    expect(m?.[rule.group ?? 0]).toBe(secret);
    if (rule.validate !== undefined) expect(rule.validate(secret)).toBe(true);
    // Through the whole detector: the secret is covered by a finding of the rule's type.
    const hits = found(text).filter((f) => f.type === rule.type);
    const at = text.indexOf(secret);
    expect(hits.some((f) => f.start <= at && f.end >= at + secret.length)).toBe(true);
  });

  it.each(SECRET_RULES.map((rule) => [rule.id, rule] as const))('%s: a cut-short example is not it', (id, rule) => {
    const [text, secret = text] = EXAMPLES[id] as [string, string?];
    const short = text.replace(secret, secret.slice(0, Math.ceil(secret.length / 3)));
    const re = new RegExp(rule.pattern, rule.ignoreCase === true ? 'i' : '');
    const m = re.exec(short);
    // Rules for open-ended formats may still match the shortened body: never all of it.
    if (m !== null) expect(m[rule.group ?? 0]).not.toBe(secret);
    expect(found(short).filter((f) => f.type === rule.type && f.end - f.start >= secret.length)).toEqual([]);
  });
});

describe('structure checks', () => {
  it('verifies the GitHub / npm CRC32 checksum', () => {
    const token = checksummed('ghp_');
    expect(hasGithubChecksum(token)).toBe(true);
    const flipped = token.slice(0, 10) + (token[10] === 'a' ? 'b' : 'a') + token.slice(11);
    expect(hasGithubChecksum(flipped)).toBe(false);
    expect(hasGithubChecksum(token.slice(0, 39))).toBe(false);
  });

  it('accepts a low-entropy GitHub token only when its checksum holds', () => {
    const body = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaab';
    const token = 'ghp_' + body + base62(crc32(body), 6);
    expect(found(token).map((f) => f.type)).toEqual(['github_token']);
    expect(found('ghp_' + body + 'aaaaaa')).toEqual([]);
  });

  it('requires a JWT header that decodes to JSON naming alg', () => {
    expect(isJwt(jwt())).toBe(true);
    expect(isJwt(b64url('{"typ":"JWT"}') + '.' + r(B64URL, 20))).toBe(false);
    expect(isJwt('eyJ' + r(ALNUM, 30) + '.' + r(ALNUM, 30))).toBe(false);
    expect(isJwt('eyJ!!!.abc')).toBe(false);
  });
});

const PASSWORD = 'Vq7' + r(ALNUM, 9) + '!';
/** Findings that come from the engine, not from a provider rule: URIs, keys, headers. */
const ENGINE_POSITIVES: [type: string, text: string, secret: string][] = [
  ['url_credentials', `redis://default:${PASSWORD}@cache.internal:6379/0`, PASSWORD],
  ['url_credentials', `postgres://app:${PASSWORD}@db.internal:5432/prod`, PASSWORD],
  ['url_credentials', `mongodb+srv://admin:${PASSWORD}@cluster0.example.net/db`, PASSWORD],
  ['url_credentials', `amqp://svc:${PASSWORD}@mq.internal:5672/vhost`, PASSWORD],
  ['url_credentials', `clone https://deploy:${PASSWORD}@git.example.com/repo.git`, PASSWORD],
  ['url_credentials', 'ftp://user:pass@files.example.com/in', 'user:pass'],
  ['password', `password = "${PASSWORD}"`, PASSWORD],
  ['password', `<Password>${PASSWORD}</Password>`, PASSWORD],
  ['password', `DB_PASSWORD: ${PASSWORD}`, PASSWORD],
  ['password', `resetUrlPassword: "${PASSWORD}"`, PASSWORD],
  ['password', 'jdbc:postgresql://db/app?user=svc&dbpass=sunflower', 'sunflower'],
  ['password', `machine api.example.com login bob password ${PASSWORD}`, PASSWORD],
  ['password', `<add key="ClearTextPassword" value="${PASSWORD}" />`, PASSWORD],
  ['password', `<property name="db.password" value="${PASSWORD}"/>`, PASSWORD],
  ['password', `<entry key="password">${PASSWORD}</entry>`, PASSWORD],
  ['password', `mysql -h db -u root -p${PASSWORD} app`, PASSWORD],
  ['password', `docker login -u bob -p ${PASSWORD} registry.example.com`, PASSWORD],
  ['password', `backup --password=${PASSWORD} --verbose`, PASSWORD],
  ['password', `FROM alpine\nENV DB_PASS ${PASSWORD}\n`, PASSWORD],
  ['password', `Server=db;Database=app;User ID=svc;Password=${PASSWORD};`, PASSWORD],
  ['credential_assignment', `apiKey: ${r(ALNUM, 32)}`, ''],
  ['credential_assignment', `GITHUBKEY=${r(ALNUM, 24)}`, ''],
  ['authorization_header', `Authorization: Basic ${btoa('svc:' + PASSWORD)}`, btoa('svc:' + PASSWORD)],
];

describe('credentials in URIs, key names and headers', () => {
  it.each(ENGINE_POSITIVES)('%s in %j', (type, text, secret) => {
    const hits = found(text).filter((f) => f.type === type);
    expect(hits.length).toBeGreaterThan(0);
    if (secret !== '') expect(scanText(text, { injection: 'off', pii: 'off' }).redacted).not.toContain(secret);
  });
});

/** Near misses: nothing at all may be found in these. */
const NEAR_MISSES: string[] = [
  // Wrong length or prefix for the format.
  'glpat-' + r(ALNUM, 19),
  'glpat-' + r(ALNUM, 21),
  'glptt-' + r(HEX, 20),
  'glimt-' + r(ALNUM, 20),
  'ghp_' + r(ALNUM, 35),
  'run_npm_' + r(ALNUM, 36),
  'x' + 'tskey-api-' + r(ALNUM, 12) + '-' + r(ALNUM, 24),
  'xoxp-1234-5678-9012-' + r(HEX, 32),
  'ntn_' + d(10) + r(ALNUM, 35),
  'gsk_' + r(ALNUM, 56),
  // JWT look-alikes that do not decode to a header naming alg.
  'eyJ' + r(ALNUM, 30) + '.' + r(ALNUM, 30) + '.' + r(ALNUM, 30),
  b64url('{"typ":"JWT","kid":"k1"}') + '.' + r(ALNUM, 30),
  'return keyJob.start() # eyJ is not a token',
  // Placeholders and documentation examples.
  'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE',
  'ghp_' + 'x'.repeat(36),
  'api_key = "your_api_key_here"',
  'password: changeme',
  'token: "<token>"',
  'secret = ${SECRET}',
  'password: "{{ vault_password }}"',
  'MasterUserPassword: <% PASSWORD_HERE %>',
  "Generic_Key: '%DB_SECRET_VALUE%'",
  'credentials: ******',
  'credential: xxxxxxx',
  'SENDGRID_API_KEY=SG.' + 'x'.repeat(22) + '.' + 'x'.repeat(43),
  // Templates and masks in URIs.
  'postgres://app:${DB_PASSWORD}@db/prod',
  'mongodb+srv://user:<password>@cluster0.example.net',
  'amqp://guest:****@rabbit:5672',
  'https://user:xxxx@host.example.com',
  'https://this-is-not-a-password.example.com/login',
  "wait-for '{{redis://default:hunter22@localhost:6379}}'",
  // Code references, not values.
  'password=None',
  'CLIENT_SECRET = settings.GITHUB_API_SECRET',
  'account_token: PropTypes.string.isRequired,',
  'const apiKey = process.env.OPENAI_API_KEY;',
  'password: password',
  'DB_PASSWORD=DB_PASSWORD',
  '<Password>password</Password>',
  'passwordForPassenger: "ok2"',
  'let dbPassword: SecureString = loadPassword()',
  'password: !vault |\n  $ANSIBLE_VAULT;1.1;AES256',
  'password: ENC[AES256_GCM,data:Tr3kq9,iv:Ab12Cd34Ef56,tag:Zx98Yw76,type:str]',
  'password = os.environ["DB_PASSWORD"]',
  'password = input("Password: ")',
  'mysql -u root -p app_db',
  'ssh -p 2222 deploy@host',
  'docker login -u bob -p "$REGISTRY_TOKEN"',
  'ENV DB_PASSWORD ${DB_PASSWORD}',
  '<add key="Theme" value="DarkModeEnabled2" />',
  '<property name="password.length" value="Sixteen16Chars"/>',
  'machine host login bob password changeme',
  '-----BEGIN PRIVATE KEY-----\nthe body of this block is not a key\n-----END PRIVATE KEY-----',
  'publicKey: "' + r(ALNUM, 20) + '"',
];

describe('near misses', () => {
  it.each(NEAR_MISSES)('%j', (text) => {
    expect(found(text).map((f) => `${f.type}:${text.slice(f.start, f.end)}`)).toEqual([]);
  });
});

describe('streamed output split at every position equals whole-text filtering', () => {
  const policy = textPolicy('off', 'redact');
  const cases: [string, string, string][] = [
    ...Object.entries(EXAMPLES).map(([id, [text, secret = text]]) => [id, text, secret] as [string, string, string]),
    ...ENGINE_POSITIVES.map(([type, text, secret]) => [type, text, secret] as [string, string, string]),
    ...NEAR_MISSES.map((text) => ['near miss', text, ''] as [string, string, string]),
  ];
  it.each(cases)('%s: %j', (_name, text, secret) => {
    const t = `Here it is: ${text}\nKeep it safe.`;
    const whole = policy.whole(t);
    if (secret !== '') expect(whole.text).not.toContain(secret);
    for (let i = 1; i < t.length; i++) {
      const out = streamCut(policy, t, [i]);
      expect(out).toBe(whole.text);
    }
  });
});

describe('streamed output in any number of chunks (property)', () => {
  const policy = textPolicy('off', 'redact');
  const pieces = [
    ...Object.values(EXAMPLES)
      .map(([text]) => text)
      .filter((_, i) => i % 4 === 0),
    ...ENGINE_POSITIVES.map(([, text]) => text),
    ...NEAR_MISSES.filter((_, i) => i % 3 === 0),
    ' ',
    '\n',
    'password: ',
    '-----BEGIN PRIVATE KEY-----\n',
    '\n-----END PRIVATE KEY-----',
  ];
  const text = fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 8 }).map((p) => p.join(' '));
  it('equals whole-text filtering for every chunking', () => {
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 12 }), (t, splits) => {
        const whole = policy.whole(t);
        const out = streamCut(policy, t, splits);
        expect(out).toBe(whole.text);
      }),
      { numRuns: 300 },
    );
  });
});

describe('findSecrets', () => {
  it('stays linear on long runs of rule prefixes', () => {
    for (const bait of [
      'tskey-',
      'sq0csp-',
      'eyJ',
      'AC',
      'dp.pt.',
      '<password>',
      '<p name="password" value="',
      'machine h login u ',
      'mysql -p',
      'ENV A ',
      'a:AA',
      'sl.',
    ]) {
      const t0 = performance.now();
      findSecrets(bait.repeat(100_000 / bait.length));
      expect(performance.now() - t0).toBeLessThan(2000);
    }
  });

  it('names the part that found each secret, and leaves out the parts it is told to (eval only)', () => {
    const text = `password = "${PASSWORD}"\n<Password>${PASSWORD}</Password>`;
    const fired = new Set<string>();
    expect(findSecrets(text, undefined, { fired })).toHaveLength(2);
    expect([...fired].sort()).toEqual(['assignment', 'xml_element']);
    const off = new Set(['assignment']);
    const left = findSecrets(text, undefined, { off });
    expect(left.map((m) => text.slice(m.start, m.end))).toEqual([PASSWORD]);
    expect(left[0]?.start).toBeGreaterThan(text.indexOf('<Password>'));
  });
});
