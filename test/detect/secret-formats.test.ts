// Held-out table per class of credential shape: positives and near misses written for this
// file (not taken from the development corpus), checked in prompts and in streamed output
// split at every position. Values are generated from a fixed seed (helpers/random-text.ts).
import { describe, expect, it } from 'vitest';
import { scanText } from '../../lib/detect/index.js';
import { streamCut, textPolicy } from '../helpers/stream-text.js';
import { ALNUM, B64, DIGIT, HEX, LOWER, UPPER, r } from '../helpers/random-text.js';

// A human-chosen password: letters, digits, a symbol; and machine tokens of several alphabets.
const PW = 'Kq' + r(LOWER, 4) + r(DIGIT, 3) + '!' + r(UPPER, 2);
const TOK = r(ALNUM, 32);
const HEX40 = r(HEX, 40);
const B64KEY = r(B64, 43) + '=';
const PEM_BODY = Array.from({ length: 4 }, () => r(B64, 64)).join('\n');

/** [what, text, the secret that must not survive] */
type Positive = [string, string, string];
/** [why it is not a secret, text] */
type NearMiss = [string, string];

const TABLE: Record<string, { positives: Positive[]; nearMisses: NearMiss[] }> = {
  yaml: {
    positives: [
      ['nested key', `database:\n  host: db.internal\n  password: ${PW}\n`, PW],
      ['quoted token', `slack:\n  bot_token: "${TOK}"`, TOK],
      ['list item', `users:\n  - name: ops\n    password: '${PW}'`, PW],
      ['camelCase key', `clientSecret: ${TOK}`, TOK],
    ],
    nearMisses: [
      ['template', 'password: "{{ .Values.db.password }}"'],
      ['variable', 'password: ${DB_PASSWORD}'],
      ['empty', 'password: ""'],
      ['setting about passwords', 'password_min_length: 12'],
      ['a URL of the token service', 'token_url: https://auth.example.com/oauth/token'],
      ['ansible vault reference', 'password: !vault |'],
    ],
  },
  dotenv: {
    positives: [
      ['export', `export DB_PASSWORD=${PW}`, PW],
      ['quoted', `STRIPE_WEBHOOK_SECRET="${TOK}"`, TOK],
      ['single-quoted', `SECRET_KEY='${PW}'`, PW],
      ['hex secret', `SESSION_SECRET=${HEX40}`, HEX40],
    ],
    nearMisses: [
      ['masked', 'API_TOKEN=********'],
      ['placeholder', 'API_KEY=your_api_key_here'],
      ['reference', 'DB_PASSWORD=$DB_PASSWORD_FROM_VAULT'],
      ['angle-bracket slot', 'SECRET_KEY=<secret-key>'],
      ['blank', 'SECRET_KEY='],
    ],
  },
  json: {
    positives: [
      ['object member', `{"client_secret": "${TOK}", "client_id": "web"}`, TOK],
      ['escaped JSON in a string', `"{\\"apiKey\\":\\"${TOK}\\"}"`, TOK],
      ['password member', `{"user":"svc","password":"${PW}"}`, PW],
    ],
    nearMisses: [
      ['schema', '{"password": {"type": "string", "minLength": 8}}'],
      ['null', '{"password": null}'],
      ['boolean', '{"requires_token": true}'],
    ],
  },
  xml: {
    positives: [
      ['element', `<config><password>${PW}</password></config>`, PW],
      ['attribute', `<user name="svc" password="${PW}"/>`, PW],
      ['.NET appSettings', `<add key="StorageAccountKey" value="${B64KEY}" />`, B64KEY],
      ['properties XML', `<entry key="api.secret">${TOK}</entry>`, TOK],
    ],
    nearMisses: [
      ['template', '<password>${db.password}</password>'],
      ['empty element', '<password></password>'],
      ['element that names a field', '<label for="password">Password</label>'],
    ],
  },
  properties: {
    positives: [
      ['dotted key', `spring.datasource.password=${PW}`, PW],
      ['spaced', `mail.smtp.password = ${PW}`, PW],
      ['colon', `app.jwt.secret: ${TOK}`, TOK],
      ['ini section', `[database]\nuser = svc\npassword = ${PW}\n`, PW],
      ['toml string', `[api]\ntoken = "${TOK}"`, TOK],
    ],
    nearMisses: [
      ['placeholder', 'spring.datasource.password=${DB_PASSWORD}'],
      ['encrypted at rest', 'spring.datasource.password=ENC(' + 'x'.repeat(3) + ')'],
      ['a file path', 'server.ssl.key-store-password-file=/etc/ssl/pass.txt'],
    ],
  },
  connection_string: {
    positives: [
      ['ADO.NET', `Server=db;Database=app;User Id=sa;Password=${PW};`, PW],
      ['ODBC', `Driver={ODBC Driver 18};Server=db;UID=svc;PWD=${PW};`, PW],
      ['JDBC query', `jdbc:mysql://db:3306/app?user=svc&password=${PW}`, PW],
      ['Azure storage', `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${B64KEY};`, B64KEY],
    ],
    nearMisses: [
      ['integrated security', 'Server=db;Database=app;Integrated Security=true;'],
      ['template', 'Server=db;User Id=sa;Password={password};'],
    ],
  },
  uri: {
    positives: [
      ['redis', `redis://default:${PW}@cache:6379/0`, PW],
      ['rediss', `rediss://svc:${PW}@cache.example.com:6380`, PW],
      ['postgresql', `postgresql://app:${PW}@db.example.com/prod`, PW],
      ['mongodb+srv', `mongodb+srv://root:${PW}@cluster0.example.net/?retryWrites=true`, PW],
      ['amqps', `amqps://svc:${PW}@mq.example.com/vhost`, PW],
      ['sftp', `sftp://deploy:${PW}@files.example.com/in`, PW],
      ['ldap', `ldap://cn=admin:${PW}@ldap.example.com`, PW],
      ['smtp', `smtp://mailer:${PW}@smtp.example.com:587`, PW],
      ['https in prose', `clone it from https://bob:${PW}@git.example.com/r.git then build`, PW],
      ['user only, no password', `https://${TOK}@github.com/org/repo.git`, TOK],
    ],
    nearMisses: [
      ['template', 'postgres://app:${PGPASSWORD}@db/prod'],
      ['angle-bracket slot', 'mongodb://<user>:<password>@host/db'],
      ['mask', 'redis://default:****@cache:6379'],
      ['port, not a password', 'http://example.com:8080/path'],
      ['e-mail in a URL path', 'https://example.com/u/bob@example.com'],
    ],
  },
  private_key: {
    positives: [
      ['RSA', `-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}\n-----END RSA PRIVATE KEY-----`, PEM_BODY],
      ['OpenSSH', `-----BEGIN OPENSSH PRIVATE KEY-----\n${PEM_BODY}\n-----END OPENSSH PRIVATE KEY-----`, PEM_BODY],
      [
        'encrypted PKCS #8',
        `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${PEM_BODY}\n-----END ENCRYPTED PRIVATE KEY-----`,
        PEM_BODY,
      ],
      ['PGP', `-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n${PEM_BODY}\n-----END PGP PRIVATE KEY BLOCK-----`, PEM_BODY],
      [
        'EC in a JSON string',
        `{"key": "-----BEGIN EC PRIVATE KEY-----\\n${r(B64, 64)}\\n${r(B64, 64)}\\n-----END EC PRIVATE KEY-----"}`,
        '',
      ],
    ],
    nearMisses: [
      ['public key', `-----BEGIN PUBLIC KEY-----\n${PEM_BODY}\n-----END PUBLIC KEY-----`],
      ['certificate', `-----BEGIN CERTIFICATE-----\n${PEM_BODY}\n-----END CERTIFICATE-----`],
      ['prose about the header', 'a file that starts with BEGIN RSA PRIVATE KEY is a key'],
    ],
  },
  keyed_high_entropy: {
    positives: [
      ['signing key', `signing_key: ${B64KEY}`, B64KEY],
      ['encryption key', `ENCRYPTION_KEY=${HEX40}`, HEX40],
      ['header', `X-Api-Key: ${TOK}`, TOK],
      ['bearer header', `Authorization: Bearer ${TOK}`, TOK],
      ['python', `API_KEY = "${TOK}"`, TOK],
      ['javascript', `const apiToken = '${TOK}';`, TOK],
      ['go', `password := "${PW}"`, PW],
      ['php', `$db_password = '${PW}';`, PW],
      ['ruby hash', `{ :password => "${PW}" }`, PW],
      ['command flag', `deploy --api-token ${TOK} --region eu`, TOK],
    ],
    nearMisses: [
      ['public key id', `public_key_id: ${TOK}`],
      ['a commit hash', `commit_sha: ${HEX40}`],
      ['checksum', `sha256_checksum: ${r(HEX, 64)}`],
      ['environment lookup', 'API_KEY = os.environ["API_KEY"]'],
      ['function call', 'const apiToken = getToken(user);'],
      ['prose', 'The password must be at least twelve characters long.'],
      ['token count', 'max_tokens: 4096'],
    ],
  },
  commands: {
    positives: [
      ['docker run -e', `docker run -e POSTGRES_PASSWORD=${PW} postgres:16`, PW],
      ['env prefix', `PGPASSWORD=${PW} psql -h db -U app`, PW],
      ['sshpass', `sshpass -p '${PW}' ssh deploy@host`, PW],
      ['wget', `wget --user=svc --password=${PW} https://files.example.com/a.tgz`, PW],
      ['curl -u', `curl -u svc:${PW} https://api.example.com/v1`, PW],
      ['PowerShell env', `$env:API_TOKEN = "${TOK}"`, TOK],
      ['Windows set', `set DB_PASSWORD=${PW}`, PW],
      ['SQL identified by', `CREATE USER app IDENTIFIED BY '${PW}';`, PW],
      ['SQL password clause', `ALTER ROLE app WITH LOGIN PASSWORD '${PW}';`, PW],
      ['python auth tuple', `requests.get(url, auth=('svc', '${PW}'))`, PW],
      ['PowerShell secure string', `ConvertTo-SecureString '${PW}' -AsPlainText -Force`, PW],
    ],
    nearMisses: [
      ['prompted password', 'psql -h db -U app -W'],
      ['variable', 'docker run -e POSTGRES_PASSWORD=$POSTGRES_PASSWORD postgres'],
      ['SQL without a password', 'CREATE USER app;'],
      ['auth tuple from variables', 'requests.get(url, auth=(user, password))'],
      ['SQL placeholder', "ALTER USER app PASSWORD 'changeme';"],
      ['SQL template', "CREATE USER app IDENTIFIED BY '${DB_PASSWORD}';"],
      ['sshpass from the environment', 'sshpass -e ssh deploy@host'],
      ['secure string from a variable', 'ConvertTo-SecureString $plain -AsPlainText -Force'],
      ['opening hours', '10:30:mon:fri:closed'],
      ['a log line', 'web01:8080:GET:/index.html:200'],
    ],
  },
  config_files: {
    positives: [
      [
        'AWS credentials',
        `[default]\naws_access_key_id = AKIA${r(UPPER + DIGIT, 16)}\naws_secret_access_key = ${r(B64, 40)}`,
        '',
      ],
      ['.pgpass', `db.example.com:5432:app:svc:${PW}`, PW],
      ['docker-compose list', `environment:\n  - MYSQL_ROOT_PASSWORD=${PW}`, PW],
      ['Kubernetes Secret data', `kind: Secret\ndata:\n  password: ${btoa(PW + PW)}`, btoa(PW + PW)],
      ['pip index URL', `[global]\nindex-url = https://svc:${PW}@pypi.example.com/simple`, PW],
      ['HCL', `resource "db" "main" {\n  password = "${PW}"\n}`, PW],
      ['quoted short secret', `{"secret": "${PW.slice(0, 10)}"}`, PW.slice(0, 10)],
      ['password starting with a backtick', `"password": "\`${PW}",`, PW],
      ['YAML block scalar', `db:\n  password: |\n    ${PW}\n`, PW],
      ['.npmrc _password', `//registry.example.com/:_password=${btoa(PW + PW)}`, btoa(PW + PW)],
      ['setter with a literal', `dataSource.setPassword("${PW}");`, PW],
      ['builder with a literal', `Client.builder().withApiKey("${TOK}").build()`, TOK],
      ['numeric API key', `numeric_api_key: ${'7' + r(DIGIT, 21)}`, ''],
    ],
    nearMisses: [
      ['Kubernetes secret reference', 'valueFrom:\n  secretKeyRef:\n    name: db\n    key: password'],
      ['a number of seconds', 'token_lifetime_seconds: 86400'],
      ['an id', 'api_key_id: 123456789012345678'],
      ['a boolean secret flag', '{"secret": "false"}'],
      ['a storage key name', 'localStorage.setItem("token", token);'],
      ['a credentials mode', 'client.withCredentials("include")'],
      ['a label', 'form.setPasswordLabel("Password");'],
      ['a YAML block scalar of a template', 'password: |\n  {{ vault_password }}'],
    ],
  },
};

const found = (text: string) =>
  scanText(text, { injection: 'off', pii: 'off' }).findings.map((f) => `${f.type}:${text.slice(f.start, f.end)}`);

const policy = textPolicy('off', 'redact');

for (const [cls, { positives, nearMisses }] of Object.entries(TABLE)) {
  describe(`secret formats: ${cls}`, () => {
    it.each(positives)('finds the secret of %s in %j', (_what, text, secret) => {
      const r = scanText(text, { injection: 'off', pii: 'off' });
      expect(r.findings.length).toBeGreaterThan(0);
      if (secret !== '') expect(r.redacted).not.toContain(secret);
    });
    it.each(nearMisses)('finds nothing in a near miss (%s): %j', (_why, text) => {
      expect(found(text)).toEqual([]);
    });
    it('streams every positive and near miss, split at every position, as whole-text filtering', () => {
      for (const text of [...positives.map((p) => p[1]), ...nearMisses.map((n) => n[1])]) {
        const t = `Config follows:\n${text}\nThanks.`;
        const whole = policy.whole(t).text;
        for (let i = 1; i < t.length; i++) expect(streamCut(policy, t, [i])).toBe(whole);
      }
    });
  });
}
