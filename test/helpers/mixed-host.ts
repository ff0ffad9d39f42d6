// Test helper for end-to-end tests: a "mixed host" made of real parts — HTTP servers (healthy, 5xx, keyword hit,
// hung, one behind a password), a closed port, a fake systemctl with real output — and config files that point at it,
// with log_file and state_dir in a temp dir.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFakeSystemctl, type FakeSystemctl, type UnitState } from './fake-systemctl.js';
import { never, reply, startServer, type TestServer } from './http-server.js';
import { freePort } from './silent-listener.js';

/** The password in the protected check's URL: it must appear nowhere the program writes. */
export const SECRET = 's3cret-Hunter-2291';
export const SECRET_USER = 'monitor';

export interface MixedHost {
  dir: string;
  server: TestServer;
  closedPort: number;
  systemctl: FakeSystemctl;
  /** Environment for the binary: the fake systemctl first on PATH, nginx active and gunicorn_django failed. */
  env(units?: Record<string, UnitState>): Record<string, string>;
  /** Write `<name>.yml` with log_file/state_dir under the temp dir and these check lines; returns its path. */
  config(name: string, checks: string, top?: string): string;
  logFile(name: string): string;
  stateDir(name: string): string;
  /** Check lines for the mixed host of the e2e tests. */
  checks: {
    healthy: string;
    serverError: string;
    keywordHit: string;
    closedPort: string;
    aboveWarning: string;
    hung2s: string;
    systemdActive: string;
    systemdFailed: string;
    withSecret: string;
  };
  close(): Promise<void>;
}

export async function startMixedHost(): Promise<MixedHost> {
  const dir = mkdtempSync(join(tmpdir(), 'nn-e2e-'));
  const auth = 'Basic ' + Buffer.from(`${SECRET_USER}:${SECRET}`).toString('base64');
  const server = await startServer({
    '/health': reply(200, { status: 'healthy' }),
    '/bad': reply(502, 'Bad Gateway'),
    '/page': reply(200, '<html>Internal error: database is down</html>'),
    '/hung': never,
    '/private': (req, res) => void res.writeHead(req.headers.authorization === auth ? 200 : 401).end('private'),
    // an alert webhook that is down: the failure path, where a URL is most likely to be logged or kept
    '/hook-down': reply(500, 'internal error'),
  });
  const closedPort = await freePort();
  const systemctl = makeFakeSystemctl();
  const url = (path: string) => server.url(path);
  return {
    dir,
    server,
    closedPort,
    systemctl,
    env: (units = { nginx: 'active', gunicorn_django: 'failed' }) => systemctl.env(units),
    config(name, checks, top = '') {
      const path = join(dir, `${name}.yml`);
      writeFileSync(
        path,
        `log_file: ${join(dir, name, 'log', 'health_check.log')}\nstate_dir: ${join(dir, name, 'state')}\n${top}checks:\n${checks}`,
      );
      return path;
    },
    logFile: (name) => join(dir, name, 'log', 'health_check.log'),
    stateDir: (name) => join(dir, name, 'state'),
    checks: {
      healthy: `  - { name: django-api, type: http, url: "${url('/health')}", expect: { json: { status: healthy } } }\n`,
      serverError: `  - { name: flask-api, type: http, url: "${url('/bad')}", hint: "sudo journalctl -u gunicorn_flask -n 50" }\n`,
      keywordHit: `  - { name: homepage, type: http, url: "${url('/page')}", expect: { not_contains: ["error"] } }\n`,
      closedPort: `  - { name: postgres-port, type: tcp, host: 127.0.0.1, port: ${closedPort} }\n`,
      aboveWarning: '  - { name: memory, type: memory, warning: 0, critical: 100 }\n',
      hung2s: `  - { name: hung-api, type: http, url: "${url('/hung')}", timeout: 2s }\n`,
      systemdActive: '  - { name: nginx, type: systemd, unit: nginx }\n',
      systemdFailed: '  - { name: django, type: systemd, unit: gunicorn_django }\n',
      withSecret: `  - { name: private, type: http, url: "http://${SECRET_USER}:${SECRET}@127.0.0.1:${server.port}/private" }\n`,
    },
    async close() {
      await server.close();
      systemctl.remove();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
