import { Module } from '@nestjs/common';
import { CounterpartyDirectory } from './counterparty.directory';
import { TemplateRepository } from './template.repository';
import { TemplatesController } from './templates.controller';
import { TemplatesService } from './templates.service';

@Module({
  controllers: [TemplatesController],
  providers: [TemplatesService, TemplateRepository, CounterpartyDirectory],
})
export class TemplatesModule {}
