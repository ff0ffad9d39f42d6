// pino-roll ships no types: the part of its API serve uses (a SonicBoom stream that rolls its file).
declare module 'pino-roll' {
  import type { SonicBoom, SonicBoomOpts } from 'sonic-boom';
  interface PinoRollOptions extends Omit<SonicBoomOpts, 'dest' | 'fd'> {
    file: string;
    frequency?: 'daily' | 'hourly' | number;
    size?: string | number;
    extension?: string;
    symlink?: boolean;
    dateFormat?: string;
    limit?: { count?: number; removeOtherLogFiles?: boolean };
  }
  export default function pinoRoll(options: PinoRollOptions): Promise<SonicBoom>;
}
