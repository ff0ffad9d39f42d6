// Reads the config file's text, refusing one far past the size a config may have before reading it (no YAML, no zod here).
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { ConfigError } from '../util/errors.js';
import { MAX_CONFIG_BYTES, sizeProblem } from './bounds.js';

/** The file's text, refusing (before reading it) one far past the size a config may have. */
export function readCapped(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const { size } = fstatSync(fd);
    if (size > MAX_CONFIG_BYTES) throw new ConfigError(path, [sizeProblem(size)!]);
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}
