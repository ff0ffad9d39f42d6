// Module hooks for the bench: append every file a process loads to $BENCH_LOADED_LOG (see bench/tools/loaded.mjs).
import { appendFileSync } from 'node:fs';

export async function load(url, context, next) {
  const result = await next(url, context);
  if (process.env.BENCH_LOADED_LOG && url.startsWith('file:')) appendFileSync(process.env.BENCH_LOADED_LOG, `${url}\n`);
  return result;
}
