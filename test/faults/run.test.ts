// Faults around the checks: a heartbeat that never answers must not cost the page; a plugin's escaped child must not
// hold the run.
import { faultTests } from './fault-tests.js';

faultTests('run');
