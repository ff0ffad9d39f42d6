// Hostile Redis peers (malformed replies, floods, a 1 GB bulk string) against a real run.
import { faultTests } from './fault-tests.js';

faultTests('redis');
