// ntfy, Telegram, Discord and Teams against a local HTTP server that checks the shape each service documents.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AlertMessage } from '../../src/alerts/message.js';
import { configSchema } from '../../src/config/schema.js';
import { configuredChannels, type Channel } from '../../src/notifiers/index.js';
import { localIso } from '../../src/util/time.js';
import { sendOnce } from '../helpers/send-once.js';
import { startCapture } from '../helpers/capture-server.js';

const now = new Date(2025, 11, 6, 14, 35, 1);
const problem: AlertMessage = {
  id: 'p1',
  kind: 'problem',
  subject: '[CRITICAL] web-1: nginx',
  host: 'web-1',
  time: localIso(now),
  log_file: '/var/log/health.log',
  entries: [
    {
      check: 'nginx',
      kind: 'down',
      level: 'CRITICAL',
      message: 'inactive (dead) <pid & 1>',
      hint: 'systemctl status nginx',
    },
  ],
};
const recovered: AlertMessage = {
  ...problem,
  id: 'r1',
  kind: 'recovered',
  subject: '[RECOVERED] web-1: nginx',
  entries: [{ check: 'nginx', kind: 'recovered', level: 'OK', message: 'active (running)', down_for_ms: 600_000 }],
};

function channelOf(alerts: Record<string, unknown>): Channel {
  const config = configSchema.parse({ alerts });
  return configuredChannels(config.alerts)[0]!;
}

const send = (channel: Channel, message: AlertMessage) => sendOnce(channel, message, now);

test('ntfy: plain-text body, Title/Priority/Tags headers, Bearer token; recovery at low priority', async (t) => {
  const ntfy = await startCapture(t, { status: 200, body: { id: 'abc', event: 'message', topic: 'ops-alerts' } });
  const channel = channelOf({ ntfy: { url: `${ntfy.base}/ops-alerts`, token: 'tk_secretntfytoken0001' } });
  assert.equal(await send(channel, problem), 'sent');
  assert.equal(await send(channel, recovered), 'sent');
  const [down, up] = ntfy.requests;
  assert.equal(down!.method, 'POST');
  assert.equal(down!.url, '/ops-alerts');
  assert.equal(down!.headers.title, '[CRITICAL] web-1: nginx');
  assert.equal(down!.headers.priority, '4');
  assert.equal(down!.headers.tags, 'rotating_light');
  assert.equal(down!.headers.authorization, 'Bearer tk_secretntfytoken0001');
  assert.match(down!.headers['content-type']!, /^text\/plain/);
  assert.match(down!.body, /nginx — CRITICAL: inactive \(dead\) <pid & 1>/);
  assert.match(down!.body, /hint: systemctl status nginx/);
  assert.equal(up!.headers.title, '[RECOVERED] web-1: nginx');
  assert.equal(up!.headers.priority, '2');
  assert.equal(up!.headers.tags, 'white_check_mark');
});

test('ntfy: a configured priority for problems, a non-ASCII title RFC 2047-encoded, and 200 without a message is not "sent"', async (t) => {
  const ntfy = await startCapture(t, { status: 200, body: { id: 'x' } });
  const channel = channelOf({ ntfy: { url: `${ntfy.base}/ops`, priority: 'max' } });
  assert.equal(await send(channel, { ...problem, subject: '[CRITICAL] web-1: 결제-api' }), 'sent');
  assert.equal(ntfy.requests[0]!.headers.priority, '5');
  const title = ntfy.requests[0]!.headers.title as string;
  assert.match(title, /^=\?UTF-8\?B\?/);
  assert.equal(Buffer.from(title.slice(10, -2), 'base64').toString('utf8'), '[CRITICAL] web-1: 결제-api');
  assert.equal(ntfy.requests[0]!.headers.authorization, undefined);
  ntfy.answer = { status: 200, body: '<html>captive portal</html>' };
  assert.match(await send(channel, problem), /^retry: HTTP 200 but .*not ntfy's message JSON/);
});

test('telegram: sendMessage with HTML parse mode, every text escaped; "sent" only on ok: true; the bot token never shows', async (t) => {
  const token = '123456789:AAEsecretTelegramBotTokenXYZ';
  const api = await startCapture(t, { status: 200, body: { ok: true, result: { message_id: 7 } } });
  const channel = channelOf({ telegram: { bot_token: token, chat_id: -1001234567890, api_url: api.base } });
  assert.equal(channel.label, 'telegram (-1001234567890)');
  assert.equal(await send(channel, problem), 'sent');
  const req = api.requests[0]!;
  assert.equal(req.url, `/bot${token}/sendMessage`);
  assert.equal(req.json.chat_id, -1001234567890);
  assert.equal(req.json.parse_mode, 'HTML');
  assert.match(req.json.text, /^<b>\[CRITICAL\] web-1: nginx<\/b>\n\n/);
  assert.match(req.json.text, /inactive \(dead\) &lt;pid &amp; 1&gt;/);
  assert.doesNotMatch(req.json.text.replace(/<\/?b>/g, ''), /<|>/);

  api.answer = { status: 200, body: { ok: false, description: 'odd' } };
  assert.match(await send(channel, problem), /^retry: HTTP 200 but .*not the Bot API's "ok": true/);
  api.answer = {
    status: 400,
    body: { ok: false, error_code: 400, description: `Bad Request: chat not found (bot${token})` },
  };
  const error = await send(channel, problem);
  assert.match(error, /^refused for good: HTTP 400: Bad Request: chat not found/);
  assert.doesNotMatch(error, /AAEsecret/);
});

test('discord: one embed coloured by level (red, then green), title and description; the webhook path never shows', async (t) => {
  const discord = await startCapture(t, { status: 204 });
  const webhook = `${discord.base}/api/webhooks/1234567890/discordSECRETwebhookTOKEN`;
  const channel = channelOf({ discord: { webhook } });
  assert.equal(await send(channel, problem), 'sent');
  assert.equal(await send(channel, recovered), 'sent');
  const [down, up] = discord.requests.map((r) => r.json);
  assert.equal(down.embeds.length, 1);
  assert.equal(down.embeds[0].title, '[CRITICAL] web-1: nginx');
  assert.equal(down.embeds[0].color, 0xd32f2f);
  assert.match(down.embeds[0].description, /nginx — CRITICAL: inactive/);
  assert.equal(typeof down.embeds[0].timestamp, 'string');
  assert.deepEqual(down.allowed_mentions, { parse: [] });
  assert.equal(up.embeds[0].color, 0x2e7d32);
  discord.answer = { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
  const error = await send(channel, problem);
  assert.match(error, /^refused for good: HTTP 404 Not Found/);
  assert.doesNotMatch(error, /discordSECRET/);
});

test('teams: a message with one Adaptive Card 1.4 attachment, title coloured by level; the sig never shows', async (t) => {
  const teams = await startCapture(t, { status: 202 });
  const webhook = `${teams.base}/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=TeamsSIGsecretValue123`;
  const channel = channelOf({ teams: { webhook } });
  assert.equal(channel.label, `teams (${new URL(teams.base).host})`);
  assert.equal(await send(channel, problem), 'sent');
  const body = teams.requests[0]!.json;
  assert.equal(body.type, 'message');
  assert.equal(body.attachments.length, 1);
  const attachment = body.attachments[0];
  assert.equal(attachment.contentType, 'application/vnd.microsoft.card.adaptive');
  const card = attachment.content;
  assert.equal(card.type, 'AdaptiveCard');
  assert.equal(card.version, '1.4');
  assert.equal(card.body[0].type, 'TextBlock');
  assert.equal(card.body[0].text, '[CRITICAL] web-1: nginx');
  assert.equal(card.body[0].color, 'Attention');
  assert.ok(card.body.every((block: { type: string; wrap: boolean }) => block.type === 'TextBlock' && block.wrap));
  assert.match(card.body.map((b: { text: string }) => b.text).join('\n'), /nginx — CRITICAL: inactive/);
  teams.answer = { status: 401, body: `bad sig TeamsSIGsecretValue123` };
  const error = await send(channel, problem);
  assert.match(error, /^refused for good: HTTP 401/);
  assert.doesNotMatch(error, /TeamsSIGsecret/);
});

test('a 5xx is kept to retry; a bad config is refused naming the key', async (t) => {
  const ntfy = await startCapture(t, { status: 503, body: 'down for maintenance' });
  const channel = channelOf({ ntfy: { url: `${ntfy.base}/ops` } });
  assert.match(await send(channel, problem), /^retry: HTTP 503/);
  const bad = configSchema.safeParse({ alerts: { telegram: { bot_token: 'nope', chat_id: 1 } } });
  assert.equal(bad.success, false);
  assert.deepEqual(bad.error!.issues[0]!.path, ['alerts', 'telegram', 'bot_token']);
});
