// The registry of check types: one line per type. The config schema, the engine and the outputs (each type's own
// Prometheus families and Nagios perfdata, through the Check interface) read it; nothing else
// switches on a check's type.
import type { z } from 'zod';
import type { Check } from './check.js';
import { command } from './command.js';
import { cpu } from './cpu.js';
import { disk } from './disk.js';
import { http } from './http.js';
import { log } from './log.js';
import { memory } from './memory.js';
import { postgres } from './postgres.js';
import { redis } from './redis.js';
import { systemd } from './systemd.js';
import { tcp } from './tcp.js';

export const CHECKS = { systemd, http, tcp, disk, memory, cpu, postgres, redis, command, log } as const;

export type CheckType = keyof typeof CHECKS;
export const CHECK_TYPES = Object.keys(CHECKS) as CheckType[];

// Every entry must really be a Check whose `type` equals its key: a wrong or missing line fails to compile.
const _registryIsConsistent: { [T in CheckType]: Check<z.ZodType, T> } = CHECKS;
void _registryIsConsistent;

export function checkFor(type: string): Check {
  return CHECKS[type as CheckType] as unknown as Check;
}
