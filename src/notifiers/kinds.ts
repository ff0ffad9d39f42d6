// The alert channel kinds, in the order they are tried and named. Apart from the registry (index.ts) so the alert
// state can know them without importing every notifier and its schema on each run (docs/performance.md).
export const CHANNEL_KINDS = ['email', 'slack', 'webhook'] as const;

export type ChannelKind = (typeof CHANNEL_KINDS)[number];
