// Secret masking (src/util/mask.ts), the one helper every output goes through: URL credentials, webhook paths,
// secret query parameters, tokens and key=value secrets in free text, and whole JSON-like values.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addKnownSecrets, maskDeep, maskText, maskUrl } from '../../src/util/mask.js';

describe('maskUrl', () => {
  const cases: [string, string][] = [
    // user:pass → the user stays (it says which account), the password goes
    ['http://monitor:s3cret@127.0.0.1:8000/health', 'http://monitor:***@127.0.0.1:8000/health'],
    ['https://user:p@ss@example.com/x', 'https://user:***@example.com/x'],
    // redis with only a password (docs/reference.md's own example)
    ['redis://:Redis-Pass@127.0.0.1:6379/0', 'redis://***@127.0.0.1:6379/0'],
    ['redis://default:Redis-Pass@127.0.0.1:6379', 'redis://default:***@127.0.0.1:6379'],
    // a lone user part is often a token
    ['https://ghp_abcdef123456@github.com/org/repo', 'https://***@github.com/org/repo'],
    [
      'postgres://app:Pg-Pass-1@db.internal:5432/app?sslmode=require',
      'postgres://app:***@db.internal:5432/app?sslmode=require',
    ],
    ['postgresql://app:p%40ss%2Fword@127.0.0.1/app', 'postgresql://app:***@127.0.0.1/app'],
    ['smtp://mailer:Smtp-Pass@mail.example.com:587', 'smtp://mailer:***@mail.example.com:587'],
    // webhook URLs whose path is the secret
    ['https://hooks.slack.com/services/T000/B000/XXXXSECRET', 'https://hooks.slack.com/services/***'],
    ['https://discord.com/api/webhooks/123/tokentoken', 'https://discord.com/api/***'],
    ['https://hc-ping.com/0f1e2d3c-uuid', 'https://hc-ping.com/***'],
    ['https://hc-ping.com/0f1e2d3c-uuid/fail', 'https://hc-ping.com/***'],
    // secret query parameters, others kept
    ['https://example.com/hook?token=abc123&channel=ops', 'https://example.com/hook?token=***&channel=ops'],
    ['https://api.example.com/v1?api_key=K&sig=S&page=2', 'https://api.example.com/v1?api_key=***&sig=***&page=2'],
    // signed URLs (S3, GCS) and OAuth flows, whatever the case of the key
    [
      'https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA1&X-Amz-Signature=abc&X-Amz-Security-Token=t',
      'https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=***&X-Amz-Signature=***&X-Amz-Security-Token=***',
    ],
    [
      'https://storage.googleapis.com/b/o?X-Goog-Signature=s&x-goog-credential=c&X-Goog-Date=1',
      'https://storage.googleapis.com/b/o?X-Goog-Signature=***&x-goog-credential=***&X-Goog-Date=1',
    ],
    ['https://app.example.com/cb?code=4%2F0Ab&state=xyz', 'https://app.example.com/cb?code=***&state=xyz'],
    [
      'https://x.example.com/?ACCESS_TOKEN=a&id_token=b&refresh_token=c&client_secret=d&Key=e',
      'https://x.example.com/?ACCESS_TOKEN=***&id_token=***&refresh_token=***&client_secret=***&Key=***',
    ],
    // nothing secret: unchanged
    ['http://127.0.0.1:8000/api/health/', 'http://127.0.0.1:8000/api/health/'],
    ['http://example.com', 'http://example.com'],
    ['https://example.com/search?q=term', 'https://example.com/search?q=term'],
  ];
  for (const [raw, masked] of cases) {
    test(`${raw} → ${masked}`, () => assert.equal(maskUrl(raw), masked));
  }

  test('something that is not a URL goes through the text masking', () => {
    assert.equal(maskUrl('not a url, password=abc'), 'not a url, password=***');
  });
});

describe('maskText', () => {
  test('URLs inside sentences are masked, punctuation after them kept', () => {
    assert.equal(
      maskText('cannot connect to redis://:Pw-1@127.0.0.1:6379/0. Retrying postgres://app:Pw-2@db/app, then giving up'),
      'cannot connect to redis://***@127.0.0.1:6379/0. Retrying postgres://app:***@db/app, then giving up',
    );
    assert.equal(
      maskText("error: 'postgres://app:Pw-3@db:5432/app' refused"),
      "error: 'postgres://app:***@db:5432/app' refused",
    );
    assert.equal(
      maskText('POST to https://hooks.slack.com/services/T1/B2/XYZ failed: 404'),
      'POST to https://hooks.slack.com/services/*** failed: 404',
    );
  });

  test('passwords holding characters that end a URL in text are still masked whole', () => {
    for (const [raw, masked] of [
      ['redis://:pa(ss@127.0.0.1:6379', 'redis://***@127.0.0.1:6379'],
      ['postgres://app:pa"ss@db/app', 'postgres://app:***@db/app'],
      ["mysql://root:it's<me>@db/app", 'mysql://root:***@db/app'],
    ]) {
      assert.equal(maskText(raw!), masked);
    }
  });

  test('bearer tokens and key=value secrets', () => {
    assert.equal(maskText('Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig'), 'Authorization: Bearer ***');
    assert.equal(maskText('password=hunter22 user=bob'), 'password=*** user=bob');
    assert.equal(maskText('token: abc123, secret="two words"'), 'token: ***, secret=***');
    assert.equal(
      maskText('api-key=zzz api_key=yyy PGPASSWORD=xxx secret_key=www'),
      'api-key=*** api_key=*** PGPASSWORD=*** secret_key=***',
    );
    assert.equal(maskText('{"password": "json-pass"}'), '{"password": ***}');
  });

  test('a query string in free text, without its URL, is masked too', () => {
    assert.equal(maskText('GET /cb?code=abc123&state=s failed'), 'GET /cb?code=***&state=s failed');
    assert.equal(maskText('…&X-Amz-Signature=deadbeef&X-Amz-Date=1'), '…&X-Amz-Signature=***&X-Amz-Date=1');
  });

  test("the program's own hints keep their placeholders", () => {
    const hint = 'authentication required (NOAUTH): the URL has no password; write it as redis://:PASSWORD@host:6379/0';
    assert.equal(maskText(hint), hint);
    assert.equal(
      maskText('write it as postgres://app:PASSWORD@host/db'),
      'write it as postgres://app:PASSWORD@host/db',
    );
    assert.equal(maskText('redis://:PASSWORDx@h'), 'redis://***@h');
  });

  test('strings the config marks secret are masked wherever they turn up', () => {
    addKnownSecrets(['hdr-Value-Known-1', 'abc']);
    assert.equal(
      maskText('server said: denied for hdr-Value-Known-1 (and %s)'),
      'server said: denied for *** (and %s)',
    );
    assert.equal(maskText('abc is too short to be taken for a secret'), 'abc is too short to be taken for a secret');
  });

  test('a known secret inside a longer word is that word, not the secret (a webhook path "hook" and "webhook")', () => {
    addKnownSecrets(['hook']);
    assert.equal(maskText('Alert sent: webhook (example.com)'), 'Alert sent: webhook (example.com)');
    assert.equal(maskText('POST https://example.com/hook failed'), 'POST https://example.com/*** failed');
  });

  test('ordinary text is left alone', () => {
    const text = 'HTTP 502 Bad Gateway from http://127.0.0.1:8000/api/health/ (35 ms); mail ops@example.com';
    assert.equal(maskText(text), text);
  });

  test('masking twice changes nothing more', () => {
    for (const text of [
      'redis://:x@h:1/0',
      'http://u:p@h/',
      'https://hooks.slack.com/services/A/B/C',
      'password=abc',
      'Bearer abcdefghijk',
    ]) {
      assert.equal(maskText(maskText(text)), maskText(text));
    }
  });
});

describe('maskDeep', () => {
  test('masks every string in nested objects and arrays, keeps other values and keys', () => {
    const input = {
      url: 'redis://:Pw@127.0.0.1:6379/0',
      count: 3,
      ok: true,
      nothing: null,
      list: ['http://a:b@h/', 7, { deeper: 'token=t0k' }],
    };
    assert.deepEqual(maskDeep(input), {
      url: 'redis://***@127.0.0.1:6379/0',
      count: 3,
      ok: true,
      nothing: null,
      list: ['http://a:***@h/', 7, { deeper: 'token=***' }],
    });
    assert.equal(input.url, 'redis://:Pw@127.0.0.1:6379/0', 'the input is not changed');
  });
});
