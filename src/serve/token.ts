// The log API's token: `serve.token`, or read from `serve.token_file` (opened without following a symlink, capped).
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { codeOf, ConfigError, messageOf } from '../util/errors.js';
import { MIN_TOKEN_LENGTH, type ServeConfig } from './schema.js';

const MAX_BYTES = 4096;

/** The token, or undefined when none is configured (the log API is then off). Problems are one-line config errors. */
export function resolveToken(serve: ServeConfig, configFile: string): string | undefined {
  if (serve.token !== undefined) return serve.token;
  if (serve.token_file === undefined) return undefined;
  const path = serve.token_file;
  const fail = (why: string): never => {
    throw new ConfigError(configFile, [`serve.token_file: ${path} ${why}`]);
  };
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NOCTTY | constants.O_NONBLOCK);
  } catch (error) {
    const code = codeOf(error);
    return fail(
      code === 'ENOENT'
        ? 'does not exist (write one with: openssl rand -hex 32 > FILE; chmod 600 FILE)'
        : code === 'ELOOP'
          ? 'is a symbolic link; name the file itself'
          : code === 'EACCES'
            ? 'cannot be read: permission denied (the serve process must be able to read it)'
            : `cannot be opened (${code ?? messageOf(error)})`,
    );
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) fail('is not a regular file');
    if (stat.mode & 0o004) fail(`is readable by every user (chmod o-r ${path})`);
    if (stat.size > MAX_BYTES) fail(`is ${stat.size} bytes; a token file holds one line`);
    const buffer = Buffer.alloc(MAX_BYTES);
    const length = readSync(fd, buffer, 0, MAX_BYTES, 0);
    const token = buffer.subarray(0, length).toString('utf8').trim();
    if (token.length < MIN_TOKEN_LENGTH)
      fail(`holds fewer than ${MIN_TOKEN_LENGTH} characters (make a token with: openssl rand -hex 32)`);
    if (/[^\x21-\x7e]/.test(token)) fail('must hold one line of printable ASCII without spaces');
    return token;
  } finally {
    closeSync(fd);
  }
}
