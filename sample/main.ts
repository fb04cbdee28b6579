import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createSampleApp } from './bootstrap.js';

async function main(): Promise<void> {
  const app = await createSampleApp();
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  Logger.log(`sample listening on ${url} (Kafka at ${process.env.KAFKA_BOOTSTRAP_SERVERS})`, 'Sample');
  process.stdout.write(
    [
      '',
      'try:',
      `  curl -s -X POST ${url}/orders -H 'content-type: application/json' -d '{"item":"book","amount":25}'`,
      `  curl -s ${url}/orders/<id from the reply>      # status becomes "paid" once payments.captured arrived`,
      `  curl -s -X POST ${url}/orders -H 'content-type: application/json' -d '{"item":"car","amount":5000}'   # declined`,
      ...(process.env.SCHEMA_REGISTRY_URL
        ? [`  curl -s ${url}/receipts                         # Avro receipts (Schema Registry at ${process.env.SCHEMA_REGISTRY_URL})`]
        : []),
      `  curl -s ${url}/admin/topics`,
      `  curl -s ${url}/admin/groups`,
      `  curl -s ${url}/health`,
      `  curl -s ${url}/metrics                          # Prometheus text: lag, handler times, requests`,
      'Ctrl-C stops the app (graceful shutdown) and the broker and registry npm start started.',
      '',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  Logger.error(`sample failed to start: ${String(err)}`, (err as Error)?.stack, 'Sample');
  process.exitCode = 1;
});
