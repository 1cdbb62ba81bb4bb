import { describe, it, expect } from 'vitest';
import { scanText } from '../../lib/detect/index.js';

const found = (text: string) => scanText(text, { injection: 'off', pii: 'off' }).findings.map((f) => f.type);
// Assembled at run time so the repository holds no contiguous fake credential.
const j = (...parts: string[]) => parts.join('');

describe('secrets: true positives', () => {
  it.each([
    ['openai_api_key', j('sk-proj-', 'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAB7cDE0fGH3iJK6lMN9oPQ2rST5uVW8xYZ')],
    ['openai_api_key', j('sk-', 'HxsVRClzUoqDGsfVeTJO', 'T3BlbkFJ', 'jgTxONt21NKqFtj6FLfH')],
    [
      'anthropic_api_key',
      j(
        'sk-ant-api03-',
        'aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5zA7bC9dE1fG3hI5jK7lM9nO1pQ3rS5tU7vW9xY1zA3bC5dE7fG9hI1jK3lM5nO7pQ9',
        'AA',
      ),
    ],
    ['aws_access_key_id', j('AKIA', 'LALEMEL33243OLIB')],
    ['aws_secret_access_key', j('aws_secret_access_key = "', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq8Xy3Lk2p', '"')],
    ['github_token', j('ghp_', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8')],
    ['github_token', j('github_pat_', 'A1b2C3d4E5'.repeat(8), 'xy')],
    ['gitlab_token', j('glpat-', 'x8Yq2Lm4Np6Rs8Tv0Wz3')],
    ['slack_token', j('xoxb-', '263594206564-2343594206574-', 'FGqddMF8t08v8N7Oq4i57vs1')],
    ['slack_webhook', j('https://hooks.slack.com/services/', 'T0DCUJB1Q/B0DD08H5G/bJtrpFi1fO1JMCcwLx8uZyAg')],
    ['stripe_key', j('sk_live_', '51OuEMLAlTWGaDypq4P5cuDHbuKeG4tAGPYHJpEXQ7zE8mKK3jkh')],
    ['google_api_key', j('AIza', 'SyB7xQ2mN4pL6kJ8hG0fD2sA4zX6cV8bN0m')],
    ['huggingface_token', j('hf_', 'KjHtiLyXDyXamXujmipxOfhajAhRQCYnge')],
    ['npm_token', j('npm_', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8')],
    ['sendgrid_api_key', j('SG.', 'ngeVfQFYQlKU0ufo8x5d1A', '.', 'TwL2iGABf9DHoTf-09kqeF8tAmbihYzrnopKc-1s5cr')],
    [
      'jwt',
      j(
        'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
        '.',
        'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0',
        '.',
        'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
      ),
    ],
    [
      'private_key',
      j(
        '-----BEGIN RSA ',
        'PRIVATE KEY-----\nMIIEpQIBAAKCAQEAn6/O8li+SX4m98LLYt/PKSzEmQ++ZBD7Loh9P13f4yQ92EF3\nyxR5MsXFu9PRsrYQA7/4UTPHiC4y2sAVCBg4C2yyBpUEtMQjyCESi6Y=\n-----END RSA ',
        'PRIVATE KEY-----',
      ),
    ],
    ['url_credentials', 'postgres://app:Zq8!rT2wLm@db.internal:5432/prod'],
    // A written password is a credential even when it is a word (docs/secrets.md).
    ['url_credentials', 'redis://default:password@cache:6379'],
    ['authorization_header', j('Authorization: Bearer ', 'cfcabd11c7ed9a41b1a3e063c32d5114')],
    ['basic_auth_credentials', 'curl -u elastic:Rb7qP2xKw9 https://localhost:9200'],
    ['password', 'DB_PASSWORD=Tr0ub4dor&3x'],
    ['credential_assignment', j('api_key: "', 'Zf3D0LXCM3EIMbgJpUNnkRtOfOueHznB', '"')],
  ])('%s', (type, text) => {
    expect(found(text)).toContain(type);
  });
});

describe('secrets: placeholders, hashes and near misses', () => {
  it.each([
    'password=changeme',
    'api_key: "<your-key>"',
    'token = ${API_TOKEN}',
    'secret: xxxxxxxxxxxxxxxxxxxx',
    'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE',
    'sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"',
    'clientId = "73082700-1f09-405b-80d0-3131bfd6272d"',
    'request_id: 9b2f6c1e-0d7a-4a52-9a63-2f1d2c3b4a5e',
    'key_length = XSalsa20.key_length',
    'curl -u "${username}":"${password}" https://x',
    'Authorization: Bearer <token>',
    'postgres://user:${DB_PASSWORD}@localhost/db',
    'redis://:****@cache:6379',
    'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    '-----BEGIN PRIVATE KEY-----\nanything\n-----END PRIVATE KEY-----',
    'csrf-token=Mj2qykJO5rELyHgezQ69nzUX0i3OH67V7+V4eUrLfpuyOuxmiW9rhROG/Whikle15syazJOkrjJa3U2AbhIvUw==',
  ])('%j', (text) => {
    expect(found(text)).toEqual([]);
  });

  it('redacts only the secret value of an assignment', () => {
    const r = scanText('DB_PASSWORD=Tr0ub4dor&3x;');
    expect(r.redacted).toBe('DB_PASSWORD=[REDACTED:PASSWORD];');
  });

  it('redacts an unterminated private key block to the end', () => {
    const r = scanText(
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
    );
    expect(r.findings.map((f) => f.type)).toEqual(['private_key']);
    expect(r.redacted).toBe('[REDACTED:PRIVATE_KEY]');
  });
});
