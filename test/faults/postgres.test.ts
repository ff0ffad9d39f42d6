// Hostile PostgreSQL peers (broken authentication requests, malformed messages, floods) against a real run.
import { faultTests } from './fault-tests.js';

faultTests('postgres');
