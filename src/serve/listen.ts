// `HOST:PORT` as `serve.listen` and `--listen` take it: IPv4, a name, or [IPv6] in brackets; port 0 picks a free one.

export interface ListenAddress {
  host: string;
  port: number;
}

const FORM = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/;

/** The address, or a sentence saying what is wrong with `text` (for a one-line config or usage error). */
export function parseListen(text: string): ListenAddress | string {
  const match = FORM.exec(text.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65_535)
    return `"${text}" is not HOST:PORT: write it like 127.0.0.1:8787, [::1]:8787 or 0.0.0.0:8787`;
  return { host: match[1] ?? match[2]!, port };
}

export function formatListen(address: ListenAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
