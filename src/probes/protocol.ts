// What the main thread and a probe worker say to each other: one job in (workerData), "ready" and one reply out.
// Everything here crosses a thread boundary, so it is plain data (structured clone): no functions, no class instances.
// The design and its reasons are in docs/checks-timing.md ("Where the datastore clients run").

/** Node TLS options as plain data; `verifyHostname: false` stands for libpq's verify-ca (chain only, any name). */
export interface PlainTls {
  rejectUnauthorized?: boolean;
  ca?: string;
  cert?: string;
  key?: string;
  verifyHostname?: boolean;
}

export interface TcpJob {
  kind: 'tcp';
  host: string;
  port: number;
}

export interface PostgresJob {
  kind: 'postgres';
  /** The URL without its TLS parameters (src/checks/postgres-tls.ts). */
  connectionString: string;
  sslmode: string;
  /** libpq's attempts in order: false is plain TCP, otherwise TLS with these options. */
  attempts: (false | PlainTls)[];
}

export interface RedisJob {
  kind: 'redis';
  url: string;
  tlsVerify: boolean;
  /** A backstop for node-redis' own connect timeout; the check's AbortSignal normally ends the worker first. */
  connectTimeoutMs: number;
}

export type ProbeJob = TcpJob | PostgresJob | RedisJob;

/**
 * Where the bytes moved, in ms since the clock started (the moment the first connect was issued, after the client
 * module was loaded and everything was prepared). docs/checks-timing.md says what each covers per check type.
 */
export interface ProbeTimings {
  /** Connect issued → the session is usable (TCP connect; for datastores also TLS, startup/auth, SELECT db). */
  connect_ms: number;
  /** Query written → its answer arrived (SELECT 1, PING); absent for tcp. */
  query_ms?: number;
  /** Connect issued → the last byte of the answer arrived: the check's response time. */
  total_ms: number;
}

/** A failure as data: what describePgError/describeRedisError/describeNetError read (code, message). */
export interface ProbeError {
  message: string;
  code?: string;
}

export type ProbeReply =
  | {
      ok: true;
      timings: ProbeTimings /** What the peer answered (PING's reply; unused for tcp). */;
      answer?: string /** The connection used TLS. */;
      tls?: boolean;
    }
  | {
      ok: false;
      error: ProbeError /** Time from connect to the failure, when the clock had started. */;
      elapsedMs?: number;
    };

/** Worker → main thread messages. */
export type ProbeMessage =
  | { type: 'ready' }
  | { type: 'reply'; reply: ProbeReply }
  /** Our own code in the worker failed (not the peer): the check is UNKNOWN. */
  | { type: 'failed'; message: string };

/** Error code a socket guard gives a connection that delivered more than the cap (src/probes/socket-guard.ts). */
export const TOO_MUCH = 'NEURONOVA_PEER_SENT_TOO_MUCH';
