// Hostile HTTP peers against a real run of the built binary: each ends on time, with its level, no trace, bounded.
import { faultTests } from './fault-tests.js';

faultTests('http');
