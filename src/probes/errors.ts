// Inside a probe worker: an error as plain data (its code and first line), the part the main thread words.

import { codeOf, messageOf } from '../util/errors.js';

export function errorAsData(error: unknown): { message: string; code?: string } {
  const message = messageOf(error).split('\n')[0]!.slice(0, 500);
  const code = codeOf(error);
  return code === undefined ? { message } : { message, code };
}
