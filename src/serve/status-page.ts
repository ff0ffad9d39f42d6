// `/`: the status page status_dir writes, from the history plus serve's latest cycle, refreshed in place by the browser.
import type { Config } from '../config/schema.js';
import { renderStatusPage } from '../outputs/status-page-html.js';
import { statusModelFor } from '../outputs/status-page.js';
import type { Snapshot } from './cycle.js';

/**
 * Every `intervalMs` the page fetches itself and swaps its <body> for the new one: no reload, so no white flash and
 * the scroll position stays. A failed fetch keeps the old body (and the page says when it was updated).
 */
export function refreshScript(intervalMs: number): string {
  return (
    `(()=>{const every=${Math.max(1000, Math.round(intervalMs))};` +
    `const tick=async()=>{try{const r=await fetch(location.pathname,{cache:'no-store'});` +
    `if(r.ok){const d=new DOMParser().parseFromString(await r.text(),'text/html');document.title=d.title;document.body.replaceWith(d.body);}}` +
    `catch(e){}setTimeout(tick,every);};setTimeout(tick,every);})();`
  );
}

export interface PageRenderer {
  /** The page for this snapshot; rendered once per cycle, whatever the request rate. */
  html(snapshot: Snapshot): Buffer;
}

export function pageRenderer(config: Config, intervalMs: number, onProblem: (message: string) => void): PageRenderer {
  const script = refreshScript(intervalMs);
  let cached: { snapshot: Snapshot; body: Buffer } | undefined;
  let warned = false;
  return {
    html(snapshot) {
      if (cached?.snapshot === snapshot) return cached.body;
      const model = statusModelFor({
        config,
        host: snapshot.report.host,
        now: new Date(snapshot.startedAt),
        results: snapshot.results,
        onHistoryProblem: (message) => {
          // Unprivileged serve often cannot read root's state_dir: the page then shows serve's own cycle, said once.
          if (!warned) onProblem(`status page: cannot read the history, showing the latest cycle only: ${message}`);
          warned = true;
        },
      });
      const body = Buffer.from(renderStatusPage(model, { script, jsonHref: '/api/health/detailed/' }));
      cached = { snapshot, body };
      return body;
    },
  };
}
