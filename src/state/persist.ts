// How a run saves its state: in state_dir, else in the second place (store.ts), with the problem told once.
import { say } from '../i18n/index.js';
import type { RunLog } from '../run-log.js';
import { saveState, type State } from './store.js';

/** Error codes that mean "no room or no writing here", not "not yours": the second place is worth trying. */
export const NO_ROOM = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EIO']);

/**
 * Saves state for a run; false when it could be saved nowhere. When state_dir cannot be written the state goes to
 * its second place, and the problem is told on stderr and in the log once — the copy saved there says it was told,
 * so the next runs stay quiet until state_dir works again (then an INFO line says so). docs/files.md.
 */
export function statePersister(
  stateDir: string,
  log: RunLog,
  onProblem: (message: string) => void,
): (state: State) => boolean {
  let toldThisRun = false;
  return (state) => {
    const { state_dir_problem: told, ...clean } = state;
    const result = saveState(stateDir, clean, (reason) => ({
      ...clean,
      state_dir_problem: typeof told === 'string' ? told : reason,
    }));
    if (result.saved === 'state_dir') {
      if (typeof told === 'string' && !toldThisRun) {
        toldThisRun = true;
        log.write('INFO', say.state.savedAgain(stateDir, told));
      }
      return true;
    }
    // told by an earlier run (its state came back from the second place): quiet, unless nothing can be saved at all
    if (!toldThisRun && (typeof told !== 'string' || result.saved === 'nowhere')) {
      toldThisRun = true;
      const message =
        result.saved === 'fallback'
          ? say.state.savedInFallback(stateDir, result.error, result.fallback)
          : say.state.savedNowhere(stateDir, result.fallback, result.error);
      log.write('ERROR', message);
      onProblem(message);
    }
    return result.saved === 'fallback';
  };
}
