// A pass-through for an outgoing message that reports the moment its last byte has gone to the transport, just
// before the end-of-data mark that lets the far end accept it: from then on the message counts as handed over.
import { Transform } from 'node:stream';

export function handoverMarker(onLastByte: () => void): Transform {
  return new Transform({
    transform(chunk, _encoding, done) {
      done(null, chunk);
    },
    flush(done) {
      // before the transport writes the terminating "." (SMTP) or closes sendmail's input (docs/files.md)
      onLastByte();
      done();
    },
  });
}
