// Types for the dev dependency `parse-prometheus-text-format` (it ships none): the exposition-format parser tests use.
declare module 'parse-prometheus-text-format' {
  export interface PrometheusSample {
    labels?: Record<string, string>;
    /** As written in the file ("0.25", "+Inf", "NaN"); histograms and summaries use buckets/quantiles instead. */
    value: string;
    buckets?: Record<string, string>;
    quantiles?: Record<string, string>;
    count?: string;
    sum?: string;
  }
  export interface PrometheusFamily {
    name: string;
    help: string;
    type: 'GAUGE' | 'COUNTER' | 'SUMMARY' | 'HISTOGRAM' | 'UNTYPED';
    metrics: PrometheusSample[];
  }
  /** Throws on text that is not valid exposition format. */
  export default function parsePrometheusTextFormat(text: string): PrometheusFamily[];
}
