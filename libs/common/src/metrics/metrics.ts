import { Controller, Get, Header, Inject, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { SERVICE_NAME } from '../tokens';

/** The process's Prometheus registry and the platform's own series. */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  readonly eventsPublished = new Counter({
    name: 'billing_outbox_events_published_total',
    help: 'Events relayed from the outbox to JetStream',
    registers: [this.registry],
  });
  readonly eventsConsumed = new Counter({
    name: 'billing_events_consumed_total',
    help: 'Events handled by durable consumers, by outcome',
    labelNames: ['consumer', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly rpcRequests = new Histogram({
    name: 'billing_rpc_server_duration_seconds',
    help: 'Request/reply calls answered by this service',
    labelNames: ['subject', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly httpRequests = new Histogram({
    name: 'billing_http_request_duration_seconds',
    help: 'HTTP requests served',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor(@Inject(SERVICE_NAME) service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
  }
}

@Controller()
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
