import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics, served at /metrics. One registry per service (tests run several in a process).
 * Labels stay bounded: dialects and operations are fixed sets (an unknown action is counted as "unknown"),
 * codes are the vendors' documented codes, apps are the operator's own.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly requests = new Counter({
    name: 'timbrel_requests_total',
    help: 'Requests answered, by dialect, operation and code (the vendor code, or the HTTP status for the native API and other routes).',
    labelNames: ['dialect', 'operation', 'code'] as const,
    registers: [this.registry],
  });

  readonly latency = new Histogram({
    name: 'timbrel_request_duration_seconds',
    help: 'Time from the request arriving to the response being sent, by dialect and operation.',
    labelNames: ['dialect', 'operation'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: 'timbrel_rate_limit_rejections_total',
    help: 'Requests refused because the app was over its per-second limit, by app name.',
    labelNames: ['app'] as const,
    registers: [this.registry],
  });

  readonly appRequests = new Counter({
    name: 'timbrel_app_requests_total',
    help: 'Requests an app made (its credentials or API key), by app name, dialect and outcome (ok, or failed: HTTP >= 400 or a vendor code other than 0).',
    labelNames: ['app', 'dialect', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly speechCharacters = new Counter({
    name: 'timbrel_speech_characters_total',
    help: 'Characters of text sent to be spoken through the gateway, by dialect and the vendor that spoke them.',
    labelNames: ['dialect', 'vendor'] as const,
    registers: [this.registry],
  });

  /** Where apps' answered requests are also counted into lasting hourly buckets (set by the services). */
  usage?: { count(e: import('./usage.js').UsageEvent): void };

  /** When this process started counting. */
  readonly since = Date.now();

  readonly limiterErrors = new Counter({
    name: 'timbrel_rate_limiter_errors_total',
    help: 'Rate-limit checks that could not reach Redis (the request was served).',
    registers: [this.registry],
  });

  readonly upstreamRequests = new Counter({
    name: 'timbrel_upstream_requests_total',
    help: "Calls relayed to apps' vendor accounts, by dialect and outcome (ok: the vendor's answer was passed on; unreachable, timeout, invalid: answered with the dialect's error; aborted: cut while streaming).",
    labelNames: ['dialect', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly webhookDeliveries = new Counter({
    name: 'timbrel_webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome: ok (2xx), failed (retried later), given_up (no attempt left).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly webhookLatency = new Histogram({
    name: 'timbrel_webhook_delivery_duration_seconds',
    help: 'Time from sending a webhook delivery to the end of its answer.',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
    registers: [this.registry],
  });

  readonly webhookBacklog = new Gauge({
    name: 'timbrel_webhook_backlog_seconds',
    help: 'Age of the oldest undelivered (pending) delivery, per endpoint; read from the store when scraped.',
    labelNames: ['webhook'] as const,
    registers: [this.registry],
  });

  readonly upstreamLatency = new Histogram({
    name: 'timbrel_upstream_request_duration_seconds',
    help: 'Time from sending a relayed call to the vendor to the end of its answer, by dialect.',
    labelNames: ['dialect'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  readonly syncs = new Counter({
    name: 'timbrel_syncs_total',
    help: "Catalog syncs from apps' vendor accounts, by dialect and outcome (completed, failed).",
    labelNames: ['dialect', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly syncRows = new Counter({
    name: 'timbrel_sync_rows_total',
    help: 'Rows syncs wrote, by dialect and change (created, updated, retired, restored, conflict).',
    labelNames: ['dialect', 'change'] as const,
    registers: [this.registry],
  });

  /** One answered request: its count and its latency. */
  count(dialect: string, operation: string, code: string, seconds: number): void {
    this.requests.inc({ dialect, operation, code });
    this.latency.observe({ dialect, operation }, seconds);
  }

  /** Process metrics (CPU, memory, event loop lag, GC): for a serving process, not for every test. */
  withProcessMetrics(): this {
    collectDefaultMetrics({ register: this.registry });
    return this;
  }
}
