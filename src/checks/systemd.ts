// `systemd` check: a unit's ActiveState/SubState from `systemctl show`, its restarts and since-when.
import { say } from '../i18n/index.js';
import { z } from 'zod';
import type { Level } from '../levels.js';
import { defineCheck } from './check.js';
import { unitsOf } from './systemctl-show.js';

// Unit names as systemd allows them (letters, digits, ":_.\-@"), never starting with "-": nothing reaches
// systemctl that it could read as an option, and no shell is involved.
const UNIT_NAME = /^[A-Za-z0-9:_.@\\][A-Za-z0-9:_.@\\-]{0,254}$/;

/** "Mon 2025-12-01 09:12:44 KST" → "2025-12-01 09:12:44" (the log's own timestamp style). */
function shortTimestamp(value: string | undefined): string | undefined {
  const match = /(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})/.exec(value ?? '');
  return match?.[1];
}

function levelFor(active: string, load: string): Level {
  if (load === 'not-found' || load === 'masked' || load === 'error' || load === 'bad-setting') return 'CRITICAL';
  if (active === 'active') return 'OK';
  if (active === 'activating' || active === 'reloading' || active === 'deactivating' || active === 'refreshing')
    return 'WARNING';
  return 'CRITICAL';
}

export const systemd = defineCheck({
  type: 'systemd',
  // A getter: the schema is built when a config is validated, never by a run from the cached config (docs/performance.md).
  get schema() {
    return z.object({
      unit: z
        .string()
        .regex(UNIT_NAME, 'must be a systemd unit name (letters, digits, ":_.-@\\", not starting with "-")'),
    });
  },
  timeoutLevel: 'UNKNOWN',
  startsProcess: true,
  async run(cfg, ctx) {
    // All systemd checks of the run share one `systemctl show` (src/checks/systemctl-show.ts).
    const answer = await unitsOf(ctx.run, cfg.unit, ctx);
    const props = answer.units.get(cfg.unit) ?? new Error(say.check.systemd.noAnswer(cfg.unit));
    if (props instanceof Error) {
      return { level: 'UNKNOWN', message: props.message, details: { unit: cfg.unit } };
    }
    const active = props.ActiveState ?? 'unknown';
    const sub = props.SubState ?? 'unknown';
    const load = props.LoadState ?? 'unknown';
    const restarts = props.NRestarts !== undefined && props.NRestarts !== '' ? Number(props.NRestarts) : undefined;
    // "since" is when the unit entered the state shown: ActiveEnterTimestamp only for an active unit (a failed
    // unit's ActiveEnterTimestamp is when it last started, not when it failed), else the last state change.
    const since =
      active === 'active'
        ? (shortTimestamp(props.ActiveEnterTimestamp) ?? shortTimestamp(props.StateChangeTimestamp))
        : shortTimestamp(props.StateChangeTimestamp);
    const details = {
      unit: cfg.unit,
      active_state: active,
      sub_state: sub,
      restarts: restarts ?? null,
      since: since ?? null,
    };

    if (load === 'not-found') {
      return { level: 'CRITICAL', message: say.check.systemd.notFound(cfg.unit), details };
    }
    let level = levelFor(active, load);
    const result = active === 'failed' && props.Result && props.Result !== 'success' ? props.Result : undefined;

    // A crash loop can look "active" at the moment we ask: restarts since the previous run give it away.
    const previousRestarts = ctx.previous?.restarts;
    let restartedSince: number | undefined;
    if (
      level === 'OK' &&
      restarts !== undefined &&
      typeof previousRestarts === 'number' &&
      restarts > previousRestarts
    ) {
      level = 'WARNING';
      restartedSince = restarts - previousRestarts;
    }
    return {
      level,
      message: say.check.systemd.state({ active, sub, result, restartedSince }),
      // "since" right after the state it belongs to: "active (running) since …, restarted 2 times since the previous run"
      logMessage: say.check.systemd.state({ active, sub, result, since, restartedSince, restartsTotal: restarts }),
      details,
      remember: restarts === undefined ? undefined : { restarts },
    };
  },
});
