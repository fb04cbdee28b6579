import { Controller, Get, Header } from '@nestjs/common';
import { register } from 'prom-client';

/**
 * GET /metrics: Prometheus text of prom-client's default registry, where `RdKafkaModule`'s
 * `metrics: { prometheus: true }` registers the transport's and librdkafka's metrics (README "Observability").
 */
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('Content-Type', register.contentType)
  metrics(): Promise<string> {
    return register.metrics();
  }
}
