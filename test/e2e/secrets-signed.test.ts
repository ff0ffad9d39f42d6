// End to end (docs/alerting-delivery.md "Secrets"): signed-URL and OAuth query values, header values, command
// arguments and env, and the generic webhook's path never reach the log, --json, status.json/index.html, state files,
// config-cache.json or webhook bodies — and the checks still use them (also when the config comes from the cache).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureBuilt, runCli } from '../helpers/cli.js';
import { reply, startServer, type TestServer } from '../helpers/http-server.js';

const S = {
  amzCredential: 'AKIAamzCred7781',
  amzSignature: 'amzSig0123456789abcdef',
  amzToken: 'amzTok-Secret-55',
  googSignature: 'googSig-Secret-77',
  oauthCode: 'oauthCode-Secret-44',
  bearer: 'hdrBearer-Secret-33',
  apiKey: 'hdrKey-Secret-22',
  envPassword: 'envPw-Secret-11',
  argPassword: 'argPw-Secret-10',
  hookPath: 'wh-Path-Token-5521',
  hookKey: 'wh-Query-Key-8812',
  hookHeader: 'wh-Header-Secret-9',
};
const SECRETS = Object.values(S);
/** Not secret-looking, so shown by `config check`, but still kept out of the config cache: plugin argv and env. */
const CACHE_ONLY = ['plainArg-Cache-Only-3', 'plainEnv-Cache-Only-4'];

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function assertClean(where: string, text: string) {
  for (const secret of SECRETS)
    assert.ok(!text.includes(secret), `${secret} leaked into ${where}:\n${text.slice(0, 3000)}`);
}

describe('signed URLs, OAuth codes, headers, command secrets and webhook paths stay secret', {
  timeout: 60_000,
}, () => {
  let server: TestServer;
  let dir: string;
  let config: string;
  const hookBodies: string[] = [];
  const hookHeaders: IncomingMessage['headers'][] = [];

  before(async () => {
    await ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'nn-secrets-'));
    server = await startServer({
      '/signed': reply(503, 'Service Unavailable'),
      '/goog': reply(502, 'Bad Gateway'),
      '/oauth/callback': reply(502, 'Bad Gateway'),
      // answers only with the right header, and tells back what it was given: a message quoting it must be masked
      '/api': (req, res) =>
        void res
          .writeHead(req.headers.authorization === `Bearer ${S.bearer}` ? 200 : 401, {
            'content-type': 'application/json',
          })
          .end(JSON.stringify({ seen: req.headers['x-api-key'] })),
      [`/hooks/${S.hookPath}`]: (req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        req.on('end', () => {
          hookBodies.push(body);
          hookHeaders.push(req.headers);
          res.writeHead(200).end('ok');
        });
      },
    });
    const signed = `${server.url('/signed')}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${S.amzCredential}%2F20251201&X-Amz-Signature=${S.amzSignature}&X-Amz-Security-Token=${S.amzToken}`;
    config = join(dir, 'secrets.yml');
    writeFileSync(
      config,
      [
        `log_file: ${join(dir, 'log', 'health_check.log')}`,
        `state_dir: ${join(dir, 'state')}`,
        `outputs: { status_dir: ${join(dir, 'status')} }`,
        'checks:',
        `  - { name: signed, type: http, url: "${signed}" }`,
        `  - { name: goog, type: http, url: "${server.url('/goog')}?X-Goog-Signature=${S.googSignature}&X-Goog-Algorithm=GOOG4" }`,
        `  - { name: oauth, type: http, url: "${server.url('/oauth/callback')}?code=${S.oauthCode}&state=plain-state" }`,
        `  - name: api`,
        `    type: http`,
        `    url: "${server.url('/api')}"`,
        `    headers: { Authorization: "Bearer ${S.bearer}", X-Api-Key: "${S.apiKey}" }`,
        `    expect: { json: { seen: nothing } }`,
        `  - { name: plugin, type: command, command: [/bin/sh, -c, 'test "$PGPASSWORD" = ${S.envPassword} && echo "OK - connected" || exit 2', "--password=${S.argPassword}", ${CACHE_ONLY[0]}], env: { PGPASSWORD: "${S.envPassword}", DB_NAME: ${CACHE_ONLY[1]} } }`,
        'alerts:',
        `  webhook: { url: "${server.url(`/hooks/${S.hookPath}`)}?key=${S.hookKey}", headers: { X-Hook-Auth: "${S.hookHeader}" } }`,
        '',
      ].join('\n'),
    );
  });
  after(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('nothing secret in any output, file or webhook body; the secrets still work, from the cache too', async () => {
    const outputs: [string, string][] = [];
    // the first run validates and caches; the later ones read the cached config (and must put the secrets back)
    for (const args of [['--json'], [], ['--format', 'nagios'], ['--json'], ['config', 'check']]) {
      const result = await runCli([...args, '--config', config]);
      assert.ok(result.code !== null && result.code <= 3, result.stderr);
      outputs.push(
        [`stdout of ${args.join(' ') || 'a plain run'}`, result.stdout],
        [`stderr of ${args.join(' ') || 'a plain run'}`, result.stderr],
      );
    }
    for (const [where, text] of outputs) assertClean(where, text);

    const cache = readFileSync(join(dir, 'state', 'config-cache.json'), 'utf8');
    for (const value of CACHE_ONLY) assert.ok(!cache.includes(value), `${value} is in config-cache.json`);
    const report = JSON.parse(outputs[6]![1]) as {
      services: Record<string, { level: string; message: string; url?: string }>;
    };
    // the header and the env variable were really sent (from the cache, on this run)
    assert.equal(report.services.plugin!.level, 'OK', report.services.plugin!.message);
    assert.match(report.services.api!.message, /^HTTP 200 OK, JSON seen is "\*\*\*", expected "nothing"$/);
    assert.equal(
      report.services.signed!.url,
      `${server.url('/signed')}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=***&X-Amz-Signature=***&X-Amz-Security-Token=***`,
    );
    assert.equal(report.services.oauth!.url, `${server.url('/oauth/callback')}?code=***&state=plain-state`);

    const files = [
      ...filesUnder(join(dir, 'log')),
      ...filesUnder(join(dir, 'state')),
      ...filesUnder(join(dir, 'status')),
    ];
    assert.ok(
      files.some((f) => f.endsWith('status.json')) &&
        files.some((f) => f.endsWith('index.html')) &&
        files.some((f) => f.endsWith('state.json')),
    );
    for (const file of files) assertClean(file, readFileSync(file, 'utf8'));

    // the webhook was paged (with its header), and its body holds none of it
    assert.ok(hookBodies.length >= 1);
    assert.equal(hookHeaders[0]!['x-hook-auth'], S.hookHeader);
    for (const body of hookBodies) assertClean('a webhook body', body);
  });
});
