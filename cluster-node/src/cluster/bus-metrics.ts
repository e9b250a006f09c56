import { Counter, Gauge, type Registry } from 'prom-client';

/** The bus's Prometheus metrics. */
export interface BusMetrics {
  published: Counter<'kind'>;
  received: Counter<'kind'>;
  dropped: Counter<'reason'>;
  gaps: Counter;
  gapsUnrepaired: Counter;
  repaired: Counter;
  buffered: Gauge;
  bufferDropped: Counter;
  republished: Counter;
}

/** Registers the bus metrics on a node's registry. */
export function createBusMetrics(registry: Registry): BusMetrics {
  const registers = [registry];
  return {
    published: new Counter({ name: 'switchboard_bus_published_total', help: 'Envelopes this node published, by kind.', labelNames: ['kind'], registers }),
    received: new Counter({ name: 'switchboard_bus_received_total', help: 'Envelopes delivered to this node, by kind.', labelNames: ['kind'], registers }),
    dropped: new Counter({
      name: 'switchboard_bus_dropped_total',
      help: 'Envelopes dropped on receipt, by reason (signature, malformed, duplicate).',
      labelNames: ['reason'],
      registers,
    }),
    gaps: new Counter({ name: 'switchboard_bus_gaps_total', help: 'Gaps seen in an origin sequence.', registers }),
    gapsUnrepaired: new Counter({ name: 'switchboard_bus_gaps_unrepaired_total', help: 'Gaps the stream could not repair.', registers }),
    repaired: new Counter({ name: 'switchboard_bus_repaired_total', help: 'Stream entries read to repair gaps.', registers }),
    buffered: new Gauge({ name: 'switchboard_bus_buffered', help: 'Envelopes waiting for Redis to come back.', registers }),
    bufferDropped: new Counter({
      name: 'switchboard_bus_buffer_dropped_total',
      help: 'Envelopes dropped because the outage buffer was full (clients backfill with since).',
      registers,
    }),
    republished: new Counter({
      name: 'switchboard_bus_republished_total',
      help: 'Acknowledged envelopes published again because the stream lost them (a Redis failover).',
      registers,
    }),
  };
}
