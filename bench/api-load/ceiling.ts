/**
 * bench/api-load's ceiling: the barest NestJS app on the gateway's platform adapter
 * (`@nestjs/platform-express`), one `GET /ping` answering a small JSON object: no database, no bus, no
 * guard, no middleware. Started by run.ts as its own process (the apps' node flags) on `PORT`.
 */
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';

@Controller()
class PingController {
  @Get('ping')
  ping() {
    return { status: 'ok', service: 'ceiling' };
  }
}

@Module({ controllers: [PingController] })
class CeilingModule {}

async function main(): Promise<void> {
  const port = Number(process.env.PORT);
  if (!Number.isInteger(port) || port <= 0) throw new Error('PORT must be set');
  const app = await NestFactory.create(CeilingModule, new ExpressAdapter(), { logger: false });
  app.enableShutdownHooks();
  await app.listen(port);
  process.stdout.write(`ceiling listening on port ${port}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
