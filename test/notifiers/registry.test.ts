// The channel registry is the one list of channels: the config's alerts keys, --channel and the state all follow it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readOutbox } from '../../src/alerts/state.js';
import { configSchema } from '../../src/config/schema.js';
import { CHANNEL_KINDS, channelKeysText, NOTIFIERS } from '../../src/notifiers/index.js';

test('every registry line names a notifier of that kind, and the config takes each kind under alerts:', () => {
  // (a new channel adds itself here by its registry line: nothing in this test names every channel)
  for (const kind of ['email', 'slack', 'webhook']) assert.ok((CHANNEL_KINDS as string[]).includes(kind), kind);
  for (const kind of CHANNEL_KINDS) assert.equal(NOTIFIERS[kind].kind, kind);
  const alertKeys = Object.keys(configSchema.shape.alerts.unwrap().shape);
  for (const kind of CHANNEL_KINDS) assert.ok(alertKeys.includes(kind), `alerts.${kind} is a config key`);
  const keys = CHANNEL_KINDS.map((kind) => `alerts.${kind}`);
  assert.equal(channelKeysText(), `${keys.slice(0, -1).join(', ')} or ${keys.at(-1)}`);
});

test('a misspelt channel key is refused with the nearest channel named', () => {
  const parsed = configSchema.safeParse({ alerts: { slak: { webhook: 'https://hooks.slack.com/services/T/B/x' } } });
  assert.equal(parsed.success, false);
  assert.match(parsed.error!.issues[0]!.message, /unknown key "slak" \(did you mean "slack"\?\)/);
});

test('the outbox keeps the queue of a channel this build does not know (the deliver step decides), never object magic', () => {
  const item = {
    message: { id: 'm', kind: 'test', subject: 's', host: 'h', time: '2025-01-01T00:00:00Z', entries: [] },
    first_tried: '2025-01-01T00:00:00Z',
    attempts: 1,
  };
  const raw = JSON.parse(
    `{"version":1,"checks":{},"outbox":{"telegram":[${JSON.stringify(item)}],"__proto__":[${JSON.stringify(item)}]}}`,
  );
  const { outbox, unreadable } = readOutbox(raw);
  assert.deepEqual(Object.keys(outbox), ['telegram']);
  assert.equal(Object.getPrototypeOf(outbox), Object.prototype);
  assert.equal(unreadable, 1);
});
