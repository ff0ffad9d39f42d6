// The fault-injection scenarios, defined once: test/faults/*.test.ts assert them, scripts/reliability-table.mjs
// measures them for docs/reliability.md. Each one is a real hostile peer (a process) against one check of a run.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Level } from '../../src/levels.js';
import { startServer } from '../helpers/http-server.js';
import { freePort } from '../helpers/silent-listener.js';
import { startPeer, type Peer } from './peers/start-peer.js';

const PEERS = join(dirname(fileURLToPath(import.meta.url)), 'peers');

/** What a scenario adds to the run's config, and how it is torn down. */
export interface Setup {
  /** The attacked check, one YAML flow mapping (its name must be `target`). */
  check: string;
  /** More top-level YAML (outputs, alerts). */
  extra?: string[];
  /** Problems only this scenario can see (alerts counted, a secret leaked); empty when all is well. */
  verify?(seen: { stdout: string; stderr: string; log: string }): string[];
  close(): Promise<void>;
}

export interface Scenario {
  /** Group: how the tests and the table order the scenarios. */
  group: 'http' | 'postgres' | 'redis' | 'run';
  /** What the peer does, as the table shows it. */
  attack: string;
  /** The run's level (and so its exit code): the healthy companion check is OK, so this is the target's. */
  expected: Level;
  /** Why the scenario cannot run here (a peer script not in this tree), or undefined. */
  unavailable?: () => string | undefined;
  setup(dir: string): Promise<Setup>;
}

const peerCheck = (peer: Peer, check: (port: number) => string, more: Partial<Setup> = {}): Setup => ({
  check: check(peer.port),
  close: () => peer.close(),
  ...more,
});

const missingPeer = (script: string) => () =>
  existsSync(join(PEERS, script)) ? undefined : `its peer script (${script}) is not in this tree`;

const http = (
  attack: string,
  expected: Level,
  peerAttack: string,
  check: (port: number) => string,
  more: Partial<Setup> = {},
): Scenario => ({
  group: 'http',
  attack,
  expected,
  setup: async () => peerCheck(await startPeer('http', peerAttack), check, more),
});

const SECRET = 'Bearer fault-SECRET-7';

export const SCENARIOS: Scenario[] = [
  http(
    'http: silent port (accepts, never answers)',
    'CRITICAL',
    'silent',
    (port) => `{ name: target, type: http, url: "http://127.0.0.1:${port}/" }`,
  ),
  http(
    'http: slow drip (one header byte a second)',
    'CRITICAL',
    'drip',
    (port) => `{ name: target, type: http, url: "http://127.0.0.1:${port}/" }`,
  ),
  http(
    'http: 1 GB body',
    'OK',
    'huge-body',
    (port) => `{ name: target, type: http, url: "http://127.0.0.1:${port}/" }`,
  ),
  http(
    'http: redirect loop (follow_redirects)',
    'CRITICAL',
    'redirect-loop',
    (port) => `{ name: target, type: http, url: "http://127.0.0.1:${port}/", follow_redirects: true }`,
  ),
  http(
    'http: redirect to another origin (Authorization must not follow)',
    'OK',
    'cross-origin',
    (port) =>
      `{ name: target, type: http, url: "http://127.0.0.1:${port}/", follow_redirects: true, headers: { Authorization: "${SECRET}", X-Api-Key: "fault-KEY-8" } }`,
    {
      verify: (seen) =>
        [SECRET, 'fault-SECRET-7', 'fault-KEY-8']
          .filter((secret) => Object.values(seen).some((text) => text.includes(secret)))
          .map((secret) => `secret ${secret} shown`),
    },
  ),
  {
    group: 'run',
    attack: 'heartbeat that never answers (alerts still sent)',
    expected: 'CRITICAL',
    async setup() {
      const heartbeat = await startPeer('http', 'silent');
      const hook = await startServer({
        '/hook': (req, res) => req.resume().on('end', () => res.writeHead(200).end('ok')),
      });
      const refused = await freePort();
      return {
        // A down service: connection refused, CRITICAL at once, and an alert to send.
        check: `{ name: target, type: tcp, host: 127.0.0.1, port: ${refused} }`,
        extra: [
          'alerts: { after: 1, webhook: { url: "' + hook.url('/hook') + '" } }',
          `outputs: { heartbeat: { url: "http://127.0.0.1:${heartbeat.port}/ping/fault-uuid", start: true, timeout: 4s } }`,
        ],
        verify: () => (hook.hits('/hook') === 1 ? [] : [`the webhook got ${hook.hits('/hook')} alerts, not 1`]),
        close: async () => {
          await heartbeat.close();
          await hook.close();
        },
      };
    },
  },
  {
    group: 'run',
    attack: 'plugin that hangs after forking a setsid child',
    expected: 'UNKNOWN',
    async setup(dir) {
      const pidFile = join(dir, 'escaped.pid');
      // The child leaves the plugin's process group and session but keeps its stdout: a reader waiting for EOF waits.
      const script = `setsid sh -c 'echo $$ > ${pidFile}; exec sleep 600' & exec sleep 600`;
      return {
        check: `{ name: target, type: command, command: [sh, -c, ${JSON.stringify(script)}] }`,
        close: async () => {
          // The escaped child is out of any group the checker may kill: the test cleans it up itself.
          if (existsSync(pidFile)) {
            try {
              process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGKILL');
            } catch {
              // already gone
            }
          }
        },
      };
    },
  },
  {
    group: 'run',
    attack: 'plugin that floods its output (`yes`)',
    expected: 'UNKNOWN',
    setup: async () => ({
      check: '{ name: target, type: command, command: [yes, "plugin output without end"] }',
      close: async () => {},
    }),
  },
  ...['gss', 'sspi', 'sasl-unknown', 'short-R', 'malformed-E', 'malformed-N', 'short-K', 'flood', 'silent', 'drip'].map(
    (attack): Scenario => ({
      group: 'postgres',
      attack: `postgres: ${attack}`,
      expected: 'CRITICAL',
      unavailable: missingPeer('postgres.mjs'),
      setup: async () =>
        peerCheck(
          await startPeer('postgres', attack),
          (port) => `{ name: target, type: postgres, url: "postgres://health:pw@127.0.0.1:${port}/app" }`,
        ),
    }),
  ),
  ...['malformed', 'flood', 'huge-bulk', 'silent', 'drip'].map(
    (attack): Scenario => ({
      group: 'redis',
      attack: `redis: ${attack}`,
      expected: 'CRITICAL',
      unavailable: missingPeer('redis.mjs'),
      setup: async () =>
        peerCheck(
          await startPeer('redis', attack),
          (port) => `{ name: target, type: redis, url: "redis://127.0.0.1:${port}" }`,
        ),
    }),
  ),
];
