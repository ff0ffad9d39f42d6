// The alert channels, one line each: `export { <notifier> as <its key under alerts:> } from './<file>.js'`. The config's
// channel keys, `test-alert --channel`, `config check` and the messages that name channels all read this list.
export { emailNotifier as email } from './email.js';
export { slackNotifier as slack } from './slack.js';
export { webhookNotifier as webhook } from './webhook.js';
