// What happens after the checks, in order: alerts, history, files for other tools, heartbeat. One line per step.
import type { RunStep } from './run.js';

// Each step imports its module only when the config asks for it, so a plain run parses none of them.
export const AFTER_RUN_STEPS: RunStep[] = [];
