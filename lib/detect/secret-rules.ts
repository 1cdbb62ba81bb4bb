/**
 * Provider token formats, one entry per rule: the data half of the secrets detector (the
 * engine is `secrets.ts`). Which providers to cover follows the maintained public scanners'
 * rule sets (gitleaks, secretlint); prefixes, lengths and alphabets are facts about each
 * provider's format, and the patterns are ours. Each rule has a positive example and near
 * misses in `test/detect/secret-rules.test.ts`, which fails when a rule has none.
 *
 * Every pattern is a literal prefix (or a key name) followed by bounded character classes,
 * at most `SECRET_MAX_MATCH` (secrets.ts) long so that streamed output can hold back enough;
 * each runs in linear time, and only when one of its `keywords` occurs near a token-like
 * run of the text (see `tokenWindows`).
 */
import { hasGithubChecksum, isJwt } from './secret-validate.js';

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
const B = '(?<![A-Za-z0-9_])';
const E = '(?![A-Za-z0-9_])';
/** `key_name = "` before a keyed value: any key containing `name`, then an assignment. */
const keyed = (name: string, value: string) =>
  `(?<![A-Za-z0-9])${name}[\\w.-]{0,30}["']?[ \\t]{0,4}(?:=>|:=|=|:)[ \\t]{0,4}["'\`]?(${value})(?![A-Za-z0-9_+/=-])`;
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

export const SECRET_RULES: readonly SecretRule[] = [
  // --- AI providers
  {
    id: 'anthropic-api-key',
    type: 'anthropic_api_key',
    pattern: `${B}sk-ant-(?:api|admin)\\d{2}-[A-Za-z0-9_-]{80,120}AA${E}`,
    keywords: ['sk-ant-'],
  },
  {
    id: 'openai-project-key',
    type: 'openai_api_key',
    pattern: `${B}sk-(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{40,200}${E}`,
    keywords: ['sk-'],
    entropy: 3.5,
  },
  {
    id: 'openai-legacy-key',
    type: 'openai_api_key',
    pattern: `${B}sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}${E}`,
    keywords: ['t3blbkfj'],
  },
  { id: 'openai-key-48', type: 'openai_api_key', pattern: `${B}sk-[A-Za-z0-9]{48}${E}`, keywords: ['sk-'], entropy: 4 },
  {
    id: 'perplexity-api-key',
    type: 'perplexity_api_key',
    pattern: `${B}pplx-[A-Za-z0-9]{48}${E}`,
    keywords: ['pplx-'],
    entropy: 3.5,
  },
  {
    id: 'huggingface-token',
    type: 'huggingface_token',
    pattern: `${B}(?:hf_|api_org_)[A-Za-z]{34}${E}`,
    keywords: ['hf_', 'api_org_'],
    entropy: 3.8,
  },
  {
    id: 'groq-api-key',
    type: 'groq_api_key',
    pattern: `${B}gsk_[A-Za-z0-9]{52}${E}`,
    keywords: ['gsk_'],
    entropy: 3.5,
  },
  {
    id: 'replicate-api-token',
    type: 'replicate_api_token',
    pattern: `${B}r8_[A-Za-z0-9]{37}${E}`,
    keywords: ['r8_'],
    entropy: 3.5,
  },
  { id: 'xai-api-key', type: 'xai_api_key', pattern: `${B}xai-[A-Za-z0-9]{80}${E}`, keywords: ['xai-'], entropy: 3.5 },
  // --- Cloud
  {
    id: 'aws-access-key-id',
    type: 'aws_access_key_id',
    pattern: `${B}(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}${E}`,
    keywords: ['akia', 'asia', 'abia', 'acca', 'a3t'],
    entropy: 3,
  },
  {
    id: 'aws-secret-access-key',
    type: 'aws_secret_access_key',
    pattern: `(?:aws|secret)[\\w.-]{0,30}["']?\\s{0,4}(?:=>|:=|=|:)\\s{0,4}["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])`,
    ignoreCase: true,
    keywords: ['aws', 'secret'],
    group: 1,
    entropy: 4.2,
  },
  {
    id: 'aws-bedrock-api-key',
    type: 'aws_bedrock_api_key',
    pattern: `${B}ABSK[A-Za-z0-9+/]{109,269}={0,2}`,
    keywords: ['absk'],
    allowExample: true,
  },
  {
    id: 'google-api-key',
    type: 'google_api_key',
    pattern: `${B}AIza[A-Za-z0-9_-]{35}${E}`,
    keywords: ['aiza'],
    entropy: 4,
  },
  {
    id: 'google-oauth-secret',
    type: 'google_oauth_secret',
    pattern: `${B}GOCSPX-[A-Za-z0-9_-]{28}${E}`,
    keywords: ['gocspx-'],
  },
  {
    id: 'google-oauth-token',
    type: 'google_oauth_token',
    pattern: `${B}ya29\\.[A-Za-z0-9_-]{30,1000}`,
    keywords: ['ya29.'],
    entropy: 4,
  },
  {
    id: 'gcp-service-account',
    type: 'gcp_service_account',
    pattern: `"private_key_id"\\s{0,4}:\\s{0,4}"([a-f0-9]{40})"`,
    keywords: ['private_key_id'],
    group: 1,
  },
  {
    id: 'azure-ad-client-secret',
    type: 'azure_ad_client_secret',
    pattern: `(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])`,
    keywords: ['q~'],
    entropy: 3.5,
  },
  {
    id: 'azure-storage-key',
    type: 'azure_storage_key',
    pattern: `AccountKey=([A-Za-z0-9+/]{86}==)`,
    keywords: ['accountkey='],
    group: 1,
  },
  {
    id: 'azure-sas-token',
    type: 'azure_sas_token',
    pattern: `[?&]sig=([A-Za-z0-9%+/]{40,100}={0,2})`,
    keywords: ['sig='],
    group: 1,
    entropy: 3.5,
  },
  {
    id: 'digitalocean-token',
    type: 'digitalocean_token',
    pattern: `${B}do[opr]_v1_[a-f0-9]{64}${E}`,
    keywords: ['_v1_'],
  },
  {
    id: 'databricks-token',
    type: 'databricks_token',
    pattern: `${B}dapi[a-fA-F0-9]{32}(?:-\\d)?${E}`,
    keywords: ['dapi'],
    entropy: 3,
  },
  { id: 'heroku-api-key-v2', type: 'heroku_api_key', pattern: `${B}HRKU-AA[A-Za-z0-9_-]{58}`, keywords: ['hrku-'] },
  {
    id: 'heroku-api-key',
    type: 'heroku_api_key',
    pattern: keyed('heroku', UUID),
    ignoreCase: true,
    keywords: ['heroku'],
    group: 1,
  },
  {
    id: 'flyio-token',
    type: 'flyio_token',
    pattern: `${B}(?:fo1_[\\w-]{43}|fm1[ar]_[A-Za-z0-9+/]{100,998}={0,3}|fm2_[A-Za-z0-9+/]{100,2000}={0,3})`,
    keywords: ['fo1_', 'fm1', 'fm2_'],
    entropy: 3.5,
  },
  {
    id: 'vault-service-token',
    type: 'vault_token',
    pattern: `${B}(?:hvs\\.[\\w-]{90,120}|hvb\\.[\\w-]{138,300})${E}`,
    keywords: ['hvs.', 'hvb.'],
    entropy: 3.5,
  },
  {
    // Legacy `s.` tokens are too short and common a shape to match alone: only as a value
    // of a key that names Vault or a token.
    id: 'vault-legacy-token',
    type: 'vault_token',
    pattern: keyed('(?:vault|token)', 's\\.[A-Za-z0-9]{24}'),
    ignoreCase: true,
    keywords: ['vault', 'token'],
    group: 1,
    entropy: 3.5,
  },
  {
    id: 'terraform-cloud-token',
    type: 'terraform_token',
    pattern: `${B}[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}${E}`,
    keywords: ['atlasv1'],
    entropy: 3.5,
  },
  {
    id: 'alibaba-access-key',
    type: 'alibaba_access_key',
    pattern: `${B}LTAI[A-Za-z0-9]{20}${E}`,
    keywords: ['ltai'],
    entropy: 3.5,
  },
  {
    id: 'clickhouse-api-secret',
    type: 'clickhouse_api_secret',
    pattern: `${B}4b1d[A-Za-z0-9]{38}${E}`,
    keywords: ['4b1d'],
    entropy: 3.8,
  },
  {
    id: 'scalingo-api-token',
    type: 'scalingo_api_token',
    pattern: `${B}tk-us-[\\w-]{48}${E}`,
    keywords: ['tk-us-'],
    entropy: 3.5,
  },
  {
    id: 'cloudflare-api-token',
    type: 'cloudflare_api_token',
    pattern: `${B}cf(?:at|ut|k)_[A-Za-z0-9]{40}[a-f0-9]{8}${E}`,
    keywords: ['cfat_', 'cfut_', 'cfk_'],
  },
  {
    id: 'cloudflare-origin-ca-key',
    type: 'cloudflare_api_token',
    pattern: `${B}v1\\.0-[a-f0-9]{24}-[a-f0-9]{146}${E}`,
    keywords: ['v1.0-'],
  },
  {
    id: 'supabase-token',
    type: 'supabase_token',
    pattern: `${B}(?:sbp_[a-f0-9]{40}|sb_secret_[A-Za-z0-9_-]{31,64})${E}`,
    keywords: ['sbp_', 'sb_secret_'],
    entropy: 3,
  },
  {
    id: 'vercel-token',
    type: 'vercel_token',
    pattern: `${B}vc[pikar]_[A-Za-z0-9]{40,64}${E}`,
    keywords: ['vcp_', 'vci_', 'vck_', 'vca_', 'vcr_'],
    entropy: 3.5,
  },
  {
    id: 'netlify-token',
    type: 'netlify_token',
    pattern: keyed('netlify', '[A-Za-z0-9_=-]{40,46}'),
    ignoreCase: true,
    keywords: ['netlify'],
    group: 1,
    entropy: 3.5,
  },
  {
    id: 'planetscale-token',
    type: 'planetscale_token',
    pattern: `${B}pscale_(?:tkn|oauth|pw)_[\\w=.-]{32,64}${E}`,
    keywords: ['pscale_'],
    entropy: 3,
  },
  { id: 'pulumi-token', type: 'pulumi_token', pattern: `${B}pul-[a-f0-9]{40}${E}`, keywords: ['pul-'], entropy: 3 },
  {
    id: 'doppler-token',
    type: 'doppler_token',
    pattern: `${B}dp\\.(?:pt|st|sa|ct|scim|audit)\\.[A-Za-z0-9]{40,44}${E}`,
    keywords: ['dp.'],
    entropy: 3,
  },
  {
    id: 'tailscale-key',
    type: 'tailscale_key',
    pattern: `(?<![A-Za-z])tskey-[a-z]{3,10}-[A-Za-z0-9]{8,16}-[A-Za-z0-9]{16,64}${E}`,
    keywords: ['tskey-'],
  },
  {
    id: 'docker-pat',
    type: 'docker_token',
    pattern: `${B}dckr_pat_[A-Za-z0-9_-]{27}${E}`,
    keywords: ['dckr_pat_'],
  },
  // --- Code hosting and CI
  {
    id: 'github-token',
    type: 'github_token',
    pattern: `${B}gh[pousr]_[A-Za-z0-9]{36}${E}`,
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
    entropy: 3,
    proof: hasGithubChecksum,
  },
  {
    // Refresh tokens were once 76 characters long.
    id: 'github-refresh-token-76',
    type: 'github_token',
    pattern: `${B}ghr_[A-Za-z0-9]{76}${E}`,
    keywords: ['ghr_'],
    entropy: 3,
  },
  {
    id: 'github-installation-token',
    type: 'github_token',
    pattern: `${B}ghs_\\d{1,12}_eyJ[A-Za-z0-9_-]{10,1000}\\.[A-Za-z0-9_-]{10,2400}\\.[A-Za-z0-9_-]{0,600}`,
    keywords: ['ghs_'],
    validate: (s) => isJwt(s.slice(s.indexOf('eyJ'))),
  },
  {
    id: 'github-fine-grained-pat',
    type: 'github_token',
    pattern: `${B}github_pat_[A-Za-z0-9_]{30,255}${E}`,
    keywords: ['github_pat_'],
    entropy: 3.5,
  },
  {
    id: 'gitlab-token',
    type: 'gitlab_token',
    pattern: `${B}(?:(?:glpat|gldt|glrt|glft|glsoat|glffct)-[A-Za-z0-9_-]{20}|glimt-[A-Za-z0-9_-]{25}|glagent-[A-Za-z0-9_-]{50}|gloas-[A-Za-z0-9_-]{64}|glptt-[a-f0-9]{40}|glcbt-[A-Za-z0-9]{1,5}_[A-Za-z0-9_-]{20})${E}`,
    keywords: [
      'glpat-',
      'gldt-',
      'glrt-',
      'glft-',
      'glsoat-',
      'glffct-',
      'glimt-',
      'glagent-',
      'gloas-',
      'glptt-',
      'glcbt-',
    ],
    entropy: 3,
  },
  {
    // Routable tokens (GitLab 17+): a base64url payload, `.`, two characters of payload
    // length and seven of CRC in base 36.
    id: 'gitlab-routable-token',
    type: 'gitlab_token',
    pattern: `${B}(?:glpat-|glrt-t\\d_)[A-Za-z0-9_-]{27,300}\\.[0-9a-z]{2}[0-9a-z]{7}${E}`,
    keywords: ['glpat-', 'glrt-'],
    entropy: 3,
  },
  {
    id: 'gitlab-runner-registration-token',
    type: 'gitlab_token',
    pattern: `${B}GR1348941[\\w-]{20}${E}`,
    keywords: ['gr1348941'],
    entropy: 3,
  },
  {
    id: 'bitbucket-token',
    type: 'bitbucket_token',
    pattern: `${B}ATBB[A-Za-z0-9_=.-]{32,64}${E}`,
    keywords: ['atbb'],
    entropy: 3.5,
  },
  {
    id: 'atlassian-api-token',
    type: 'atlassian_api_token',
    pattern: `${B}ATATT3[A-Za-z0-9_=-]{150,250}(?:=[A-F0-9]{8})?`,
    keywords: ['atatt3'],
  },
  {
    id: 'npm-token',
    type: 'npm_token',
    pattern: `${B}npm_[A-Za-z0-9]{36}${E}`,
    keywords: ['npm_'],
    entropy: 3.5,
    proof: hasGithubChecksum,
  },
  {
    id: 'npmrc-auth-token',
    type: 'npm_token',
    pattern: `:_authToken=([A-Za-z0-9_.+/=-]{20,200})`,
    keywords: ['_authtoken='],
    group: 1,
    entropy: 3,
  },
  {
    id: 'pypi-token',
    type: 'pypi_token',
    pattern: `${B}pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,1000}`,
    keywords: ['pypi-'],
  },
  { id: 'rubygems-token', type: 'rubygems_token', pattern: `${B}rubygems_[a-f0-9]{48}${E}`, keywords: ['rubygems_'] },
  {
    id: 'clojars-token',
    type: 'clojars_token',
    pattern: `${B}CLOJARS_[a-z0-9]{60}${E}`,
    keywords: ['clojars_'],
    entropy: 3,
  },
  {
    id: 'sourcegraph-token',
    type: 'sourcegraph_token',
    pattern: `${B}sgp_(?:[a-fA-F0-9]{16}|local)_[a-fA-F0-9]{40}${E}|${B}sgp_[a-fA-F0-9]{40}${E}`,
    keywords: ['sgp_'],
    entropy: 3,
  },
  {
    id: 'sourcegraph-keyed-token',
    type: 'sourcegraph_token',
    pattern: `sourcegraph[\\w.-]{0,20}["']?\\s{0,4}[:=]\\s{0,4}["']?([a-fA-F0-9]{40})${E}`,
    ignoreCase: true,
    keywords: ['sourcegraph'],
    group: 1,
    entropy: 3,
  },
  {
    id: 'sonar-token',
    type: 'sonar_token',
    pattern: `${B}sq[apu]_[a-f0-9A-F]{40}${E}`,
    keywords: ['sqa_', 'sqp_', 'squ_'],
  },
  {
    id: 'sonar-keyed-token',
    type: 'sonar_token',
    pattern: `sonar[\\w.-]{0,20}["']?\\s{0,4}[:?]{0,3}=\\s{0,4}["']?([A-Za-z0-9]{40})${E}`,
    ignoreCase: true,
    keywords: ['sonar'],
    group: 1,
    entropy: 3,
  },
  {
    id: 'snyk-token',
    type: 'snyk_token',
    pattern: `snyk[\\w.-]{0,20}["']?\\s{0,4}[:?]{0,3}=\\s{0,4}["']?(${UUID})`,
    ignoreCase: true,
    keywords: ['snyk'],
    group: 1,
  },
  {
    id: 'grafana-token',
    type: 'grafana_token',
    pattern: `${B}(?:glc_[A-Za-z0-9+/]{32,400}={0,2}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|eyJrIjoi[A-Za-z0-9]{70,400}={0,2})`,
    keywords: ['glc_', 'glsa_', 'eyjrijoi'],
    entropy: 3.5,
  },
  {
    id: 'sentry-token',
    type: 'sentry_token',
    pattern: `${B}(?:sntrys_eyJ[A-Za-z0-9+/=]{60,600}_[A-Za-z0-9+/=]{43}|sntryu_[a-f0-9]{64})`,
    keywords: ['sntrys_', 'sntryu_'],
  },
  {
    id: 'intra42-client-secret',
    type: 'intra42_client_secret',
    pattern: `${B}s-s4t2(?:ud|af)-[a-f0-9]{64}${E}`,
    keywords: ['s-s4t2'],
  },
  {
    id: 'onepassword-secret-key',
    type: 'onepassword_secret_key',
    pattern: `${B}A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}${E}`,
    keywords: ['a3-'],
  },
  {
    id: 'onepassword-service-token',
    type: 'onepassword_service_token',
    pattern: `${B}ops_eyJ[A-Za-z0-9+/]{250,4000}={0,3}`,
    keywords: ['ops_eyj'],
    entropy: 3.5,
  },
  {
    id: 'age-secret-key',
    type: 'age_secret_key',
    pattern: `AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}`,
    keywords: ['age-secret-key-1'],
  },
  {
    id: 'prefect-token',
    type: 'prefect_token',
    pattern: `${B}pnu_[A-Za-z0-9]{36}${E}`,
    keywords: ['pnu_'],
    entropy: 3.5,
  },
  { id: 'readme-token', type: 'readme_token', pattern: `${B}rdme_[a-z0-9]{70}${E}`, keywords: ['rdme_'], entropy: 3 },
  {
    id: 'infracost-token',
    type: 'infracost_token',
    pattern: `${B}ico-[A-Za-z0-9]{32}${E}`,
    keywords: ['ico-'],
    entropy: 3.5,
  },
  {
    id: 'harness-token',
    type: 'harness_token',
    pattern: `${B}(?:pat|sat)\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9]{24}\\.[A-Za-z0-9]{20}${E}`,
    keywords: ['pat.', 'sat.'],
  },
  {
    id: 'octopus-deploy-key',
    type: 'octopus_deploy_key',
    pattern: `${B}API-[A-Z0-9]{26}${E}`,
    keywords: ['api-'],
    entropy: 3.5,
  },
  {
    id: 'openshift-token',
    type: 'openshift_token',
    pattern: `${B}sha256~[\\w-]{43}(?![\\w-])`,
    keywords: ['sha256~'],
    entropy: 3.5,
  },
  // --- Messaging and SaaS
  {
    id: 'slack-user-token',
    type: 'slack_token',
    pattern: `${B}xox[pe](?:-\\d{10,13}){3}-[A-Za-z0-9-]{28,34}${E}`,
    keywords: ['xoxp-', 'xoxe-'],
  },
  {
    // Older user tokens: three numeric ids of any length, then a hex tail.
    id: 'slack-legacy-user-token',
    type: 'slack_token',
    pattern: `${B}xoxp-\\d{6,20}-\\d{6,20}-\\d{6,20}-[a-f0-9]{16,64}${E}`,
    keywords: ['xoxp-'],
  },
  {
    id: 'slack-bot-token',
    type: 'slack_token',
    pattern: `${B}xoxb-\\d{10,13}-\\d{10,13}-?[A-Za-z0-9]{0,40}${E}`,
    keywords: ['xoxb-'],
  },
  {
    id: 'slack-legacy-bot-token',
    type: 'slack_token',
    pattern: `${B}xoxb-\\d{8,14}-[A-Za-z0-9]{18,26}${E}`,
    keywords: ['xoxb-'],
    entropy: 3,
  },
  {
    id: 'slack-legacy-token',
    type: 'slack_token',
    pattern: `${B}xox[os]-\\d{1,20}-\\d{1,20}-\\d{1,20}-[a-fA-F0-9]{8,200}${E}`,
    keywords: ['xoxo-', 'xoxs-'],
  },
  {
    id: 'slack-workspace-token',
    type: 'slack_token',
    pattern: `${B}xox[ar]-(?:\\d-)?[A-Za-z0-9-]{8,120}`,
    keywords: ['xoxa-', 'xoxr-'],
    entropy: 2.5,
  },
  {
    id: 'slack-app-token',
    type: 'slack_token',
    pattern: `${B}xapp-\\d-[A-Z0-9]{1,20}-\\d{1,20}-[a-z0-9]{32,128}${E}`,
    keywords: ['xapp-'],
  },
  {
    id: 'slack-config-token',
    type: 'slack_token',
    pattern: `${B}xoxe\\.xox[bp]-\\d-[A-Z0-9]{163,166}${E}|${B}xoxe-\\d-[A-Z0-9]{146}${E}`,
    keywords: ['xoxe'],
  },
  {
    id: 'slack-webhook',
    type: 'slack_webhook',
    pattern: `(?:https?://)?hooks\\.slack\\.com/(?:services|workflows|triggers)/(?:[A-Za-z0-9+/]{43,80}|[A-Za-z0-9]{8,12}/[A-Za-z0-9]{8,12}/[A-Za-z0-9]{16,32})`,
    keywords: ['hooks.slack.com'],
  },
  {
    id: 'discord-webhook',
    type: 'discord_webhook',
    pattern: `https://(?:ptb\\.|canary\\.)?discord(?:app)?\\.com/api/webhooks/\\d{1,20}/[\\w-]{60,68}`,
    keywords: ['discord'],
  },
  {
    id: 'discord-bot-token',
    type: 'discord_bot_token',
    pattern: `${B}[MNO][A-Za-z\\d_-]{23,25}\\.[\\w-]{6}\\.[\\w-]{27,38}${E}`,
    keywords: ['.'],
    entropy: 4,
  },
  {
    id: 'teams-webhook',
    type: 'teams_webhook',
    pattern: `https://[a-z0-9-]{1,63}\\.webhook\\.office\\.com/webhookb2/${UUID}@${UUID}/IncomingWebhook/[a-z0-9]{32}/${UUID}`,
    keywords: ['webhook.office.com'],
  },
  {
    id: 'telegram-bot-token',
    type: 'telegram_bot_token',
    pattern: `${B}\\d{5,16}:A[A-Za-z0-9_-]{34}${E}`,
    keywords: [':a'],
    entropy: 3.5,
  },
  {
    id: 'stripe-key',
    type: 'stripe_key',
    pattern: `${B}(?:sk|rk)_(?:test|live|prod)_[A-Za-z0-9]{10,247}${E}`,
    keywords: ['sk_', 'rk_'],
    entropy: 3,
  },
  {
    id: 'stripe-webhook-secret',
    type: 'stripe_webhook_secret',
    pattern: `${B}whsec_[A-Za-z0-9]{32,64}${E}`,
    keywords: ['whsec_'],
    entropy: 3,
  },
  {
    id: 'square-token',
    type: 'square_token',
    pattern: `${B}(?:sq0atp-[\\w-]{22}|sq0csp-[\\w-]{40,50}|EAAA[A-Za-z0-9_+=-]{56,80})(?![\\w+=-])`,
    keywords: ['sq0atp-', 'sq0csp-', 'eaaa'],
    entropy: 3.5,
  },
  {
    id: 'paypal-braintree-token',
    type: 'paypal_braintree_token',
    pattern: `${B}access_token\\$(?:production|sandbox)\\$[0-9a-z]{16}\\$[0-9a-f]{32}${E}`,
    keywords: ['access_token$'],
  },
  {
    id: 'twilio-api-key',
    type: 'twilio_api_key',
    pattern: `${B}SK[0-9a-fA-F]{32}${E}`,
    keywords: ['sk'],
    entropy: 3.2,
  },
  {
    // An account SID names the account: with it, a leaked auth token nearby is usable.
    id: 'twilio-account-sid',
    type: 'twilio_account_sid',
    pattern: `${B}AC[0-9a-f]{32}${E}`,
    keywords: ['ac'],
    entropy: 3.2,
  },
  {
    id: 'sendgrid-api-key',
    type: 'sendgrid_api_key',
    pattern: `${B}SG\\.[\\w-]{22}\\.[\\w-]{43}${E}`,
    keywords: ['sg.'],
  },
  {
    id: 'sendinblue-api-key',
    type: 'sendinblue_api_key',
    pattern: `${B}xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}${E}`,
    keywords: ['xkeysib-'],
  },
  {
    id: 'mailgun-api-key',
    type: 'mailgun_api_key',
    pattern: `${B}key-[a-f0-9]{32}${E}`,
    keywords: ['key-'],
    entropy: 3.2,
  },
  {
    id: 'mailgun-signing-key',
    type: 'mailgun_api_key',
    pattern: `${B}[a-f0-9]{32}-[a-f0-9]{8}-[a-f0-9]{8}${E}`,
    keywords: ['-'],
    entropy: 3.2,
  },
  {
    id: 'mailchimp-api-key',
    type: 'mailchimp_api_key',
    pattern: `${B}[a-f0-9]{32}-us\\d{1,2}${E}`,
    keywords: ['-us'],
    entropy: 3.2,
  },
  {
    id: 'shopify-token',
    type: 'shopify_token',
    pattern: `${B}shp(?:at|ca|pa|ss)_[A-Za-z0-9]{32,64}${E}`,
    keywords: ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
    entropy: 3,
  },
  {
    id: 'notion-token',
    type: 'notion_token',
    pattern: `${B}ntn_\\d{11}[A-Za-z0-9]{35}${E}|${B}secret_[A-Za-z0-9]{43}${E}`,
    keywords: ['ntn_', 'secret_'],
    entropy: 3.5,
  },
  { id: 'linear-api-key', type: 'linear_api_key', pattern: `${B}lin_api_[A-Za-z0-9]{40}${E}`, keywords: ['lin_api_'] },
  {
    id: 'figma-token',
    type: 'figma_token',
    pattern: `${B}figd_[A-Za-z0-9_-]{40,64}${E}`,
    keywords: ['figd_'],
    entropy: 3.5,
  },
  {
    id: 'postman-api-key',
    type: 'postman_api_key',
    pattern: `${B}PMAK-[a-f0-9]{24}-[a-f0-9]{34}${E}`,
    keywords: ['pmak-'],
  },
  {
    id: 'dynatrace-token',
    type: 'dynatrace_token',
    pattern: `${B}dt0c01\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}${E}`,
    keywords: ['dt0c01.'],
  },
  {
    id: 'newrelic-key',
    type: 'newrelic_key',
    pattern: `${B}(?:NRAK-[A-Z0-9]{27}|NRII-[A-Za-z0-9-]{32}|NRJS-[a-f0-9]{19}|NRAA-[a-f0-9]{27})${E}`,
    keywords: ['nrak-', 'nrii-', 'nrjs-', 'nraa-'],
    entropy: 3,
  },
  {
    id: 'okta-token',
    type: 'okta_token',
    pattern: keyed('okta', '00[\\w=-]{40}'),
    ignoreCase: true,
    keywords: ['okta'],
    group: 1,
    entropy: 3.5,
  },
  {
    id: 'pagerduty-key',
    type: 'pagerduty_key',
    pattern: keyed('pager_?duty', '(?:u\\+)?[A-Za-z0-9_+-]{18,20}'),
    ignoreCase: true,
    keywords: ['pagerduty', 'pager_duty'],
    group: 1,
    entropy: 3.2,
  },
  {
    id: 'dropbox-token',
    type: 'dropbox_token',
    pattern: `${B}sl\\.(?:u\\.)?[A-Za-z0-9_=-]{130,1100}`,
    keywords: ['sl.'],
    entropy: 4,
  },
  {
    id: 'facebook-page-token',
    type: 'facebook_token',
    pattern: `${B}EAA[MC][A-Za-z0-9]{100,400}${E}`,
    keywords: ['eaam', 'eaac'],
    entropy: 3.5,
  },
  {
    id: 'facebook-access-token',
    type: 'facebook_token',
    pattern: `${B}\\d{15,16}[|%][A-Za-z0-9_-]{27,40}${E}`,
    keywords: ['|', '%'],
    entropy: 3.5,
  },
  {
    id: 'sumologic-access-id',
    type: 'sumologic_access_id',
    pattern: `sumo[\\w.-]{0,20}?access_?id["']?\\s{0,4}[:=]\\s{0,4}["']?(su[A-Za-z0-9]{12})${E}`,
    ignoreCase: true,
    keywords: ['sumo'],
    group: 1,
    entropy: 3,
  },
  {
    id: 'sidekiq-secret',
    type: 'sidekiq_secret',
    pattern: `BUNDLE_(?:ENTERPRISE|GEMS)__CONTRIBSYS__COM["']?\\s{0,4}[:=]\\s{0,4}["']?([a-f0-9]{8}:[a-f0-9]{8})`,
    ignoreCase: true,
    keywords: ['contribsys'],
    group: 1,
  },
  {
    id: 'artifactory-token',
    type: 'artifactory_token',
    pattern: `${B}(?:AKCp[A-Za-z0-9]{69}|cmVmd[A-Za-z0-9]{59})${E}`,
    keywords: ['akcp', 'cmvmd'],
    entropy: 4,
  },
  {
    id: 'easypost-token',
    type: 'easypost_token',
    pattern: `${B}EZ[AT]K[A-Za-z0-9]{54}${E}`,
    keywords: ['ezak', 'eztk'],
    entropy: 3.5,
  },
  {
    id: 'shippo-token',
    type: 'shippo_token',
    pattern: `${B}shippo_(?:live|test)_[a-fA-F0-9]{40}${E}`,
    keywords: ['shippo_'],
  },
  {
    id: 'duffel-token',
    type: 'duffel_token',
    pattern: `${B}duffel_(?:test|live)_[A-Za-z0-9_=-]{43}${E}`,
    keywords: ['duffel_'],
  },
  {
    id: 'typeform-token',
    type: 'typeform_token',
    pattern: `${B}tfp_[A-Za-z0-9_.=-]{59}${E}`,
    keywords: ['tfp_'],
    entropy: 3.5,
  },
  {
    id: 'flutterwave-key',
    type: 'flutterwave_key',
    pattern: `${B}FLWSECK(?:_TEST)?-[a-h0-9]{32}-X${E}`,
    keywords: ['flwseck'],
  },
  {
    id: 'maxmind-license-key',
    type: 'maxmind_license_key',
    pattern: `${B}[A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk${E}`,
    keywords: ['_mmk'],
  },
  {
    id: 'adobe-client-secret',
    type: 'adobe_client_secret',
    pattern: `${B}p8e-[A-Za-z0-9]{32}${E}`,
    keywords: ['p8e-'],
    entropy: 3.5,
  },
  {
    id: 'airtable-token',
    type: 'airtable_token',
    pattern: `${B}pat[A-Za-z0-9]{14}\\.[a-f0-9]{64}${E}`,
    keywords: ['pat'],
  },
  {
    id: 'jwt',
    type: 'jwt',
    pattern: `${B}eyJ[A-Za-z0-9_-]{10,1000}\\.[A-Za-z0-9_/\\\\-]{10,2400}\\.?[A-Za-z0-9_/\\\\-]{0,600}={0,2}`,
    keywords: ['eyj'],
    validate: isJwt,
  },
];
