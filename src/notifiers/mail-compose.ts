// Builds an alert mail readable as plain text in `mail`/mutt (docs/alerting-delivery.md): 8bit UTF-8 where the
// server takes it, nodemailer's 7bit-safe encoding (quoted-printable) only for a server without 8BITMIME.
import { Readable } from 'node:stream';

export interface MailParts {
  from: string;
  to: readonly string[];
  subject: string;
  text: string;
  headers: Record<string, string>;
}

export interface ComposedMail {
  /** The 8bit form, or undefined when a line is too long for it (RFC 5321: 998 octets). */
  eightBit: Buffer | undefined;
  /** What nodemailer builds by itself: 7bit when the text is plain ASCII in short lines, else quoted-printable. */
  sevenBit: Buffer;
}

const MAX_LINE_OCTETS = 998;

/** Both forms of one message, with the same headers, Date and Message-ID. */
export async function composeMail(parts: MailParts): Promise<ComposedMail> {
  const { default: MailComposer } = await import('nodemailer/lib/mail-composer');
  const node = new MailComposer({
    from: parts.from,
    to: [...parts.to],
    subject: parts.subject,
    text: parts.text,
    headers: parts.headers,
  }).compile();
  node.keepBcc = false;
  const sevenBit = await node.build();
  const raw = sevenBit.toString('latin1');
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split);
  const lines = parts.text.replace(/\r?\n/g, '\n').split('\n');
  if (
    lines.some((line) => Buffer.byteLength(line, 'utf8') > MAX_LINE_OCTETS) ||
    !/^Content-Transfer-Encoding: /im.test(head)
  ) {
    return { eightBit: undefined, sevenBit };
  }
  const eightHead = head.replace(/^Content-Transfer-Encoding: .*$/im, 'Content-Transfer-Encoding: 8bit');
  const body = lines.join('\r\n');
  return {
    eightBit: Buffer.concat([
      Buffer.from(`${eightHead}\r\n\r\n`, 'latin1'),
      Buffer.from(body.endsWith('\r\n') ? body : `${body}\r\n`, 'utf8'),
    ]),
    sevenBit,
  };
}

/**
 * The message as a stream that picks its form when the SMTP client starts sending it — after EHLO, once `offers8bit()`
 * knows whether the server said 8BITMIME.
 */
export function lazyMessage(mail: ComposedMail, offers8bit: () => boolean): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (sent) return;
      sent = true;
      this.push(mail.eightBit && offers8bit() ? mail.eightBit : mail.sevenBit);
      this.push(null);
    },
  });
}
