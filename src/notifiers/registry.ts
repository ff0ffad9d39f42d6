// The alert channels, one line each: `export { <notifier> as <its key under alerts:> } from './<file>.js'`. The config's
// channel keys, `test-alert --channel`, `config check` and the messages that name channels all read this list.
export { alertmanagerNotifier as alertmanager } from './alertmanager.js';
export { discordNotifier as discord } from './discord.js';
export { emailNotifier as email } from './email.js';
export { ntfyNotifier as ntfy } from './ntfy.js';
export { pagerdutyNotifier as pagerduty } from './pagerduty.js';
export { slackNotifier as slack } from './slack.js';
export { teamsNotifier as teams } from './teams.js';
export { telegramNotifier as telegram } from './telegram.js';
export { webhookNotifier as webhook } from './webhook.js';
