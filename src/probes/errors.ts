// Inside a probe worker: an error as plain data (its code and first line), the part the main thread words.

export function errorAsData(error: unknown): { message: string; code?: string } {
  const err = error as { message?: unknown; code?: unknown } | undefined;
  const message = String(err?.message ?? error).split('\n')[0]!.slice(0, 500);
  return typeof err?.code === 'string' ? { message, code: err.code } : { message };
}
