/**
 * Child process for the outbox crash test: commits probes and their events, then dies by SIGKILL
 * either before any publish reaches NATS (`before-publish`) or after every publish was acked but
 * before the outbox rows were deleted (`after-publish`). Run from dist with scripts/paths.js.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { OutboxRelay } from '../bus/outbox';
import type { JetStreamPublisher } from '../bus/publisher';
import { UnitOfWork } from '../bus/unit-of-work';
import { loadConfig } from '../config/config';
import { JsonLogger } from '../logging/json-logger';
import { ProbeAppModule, ProbeEvent, probeConfigSchema } from './probe';

async function main(): Promise<void> {
  const mode = process.argv[2];
  const count = Number(process.argv[3] ?? '5');
  const config = loadConfig(probeConfigSchema);
  const app = await NestFactory.createApplicationContext(ProbeAppModule.forRoot(config), {
    logger: new JsonLogger('crash-child', 'warn'),
  });
  await app.init();
  const relay = app.get(OutboxRelay);
  const publisher = (relay as unknown as { publisher: JetStreamPublisher }).publisher;
  const original = publisher.publishAll.bind(publisher);
  publisher.publishAll = async (messages, timeoutMs) => {
    if (mode === 'before-publish') process.kill(process.pid, 'SIGKILL');
    await original(messages, timeoutMs);
    if (messages.length === count) process.kill(process.pid, 'SIGKILL'); // acked, rows not yet deleted
  };
  await app.get(UnitOfWork).run(async (tx) => {
    for (let n = 1; n <= count; n++) {
      await tx.manager.query('INSERT INTO probes (n, note) VALUES ($1, $2)', [n, `probe ${n}`]);
      tx.publish(ProbeEvent, '00000000-0000-7000-8000-000000000001', { n, note: `probe ${n}` });
    }
  });
  process.stdout.write('committed\n');
  await new Promise((resolve) => setTimeout(resolve, 30_000)); // the relay kills us long before this
  process.exit(3);
}

void main();
