import { Module } from '@nestjs/common';
import { CounterpartyDirectory } from './counterparty.directory';
import { GenerationController } from './generation.controller';
import { GenerationService } from './generation.service';
import { TemplateRepository } from './template.repository';
import { TemplatesController } from './templates.controller';
import { TemplatesService } from './templates.service';

@Module({
  controllers: [TemplatesController, GenerationController],
  providers: [TemplatesService, GenerationService, TemplateRepository, CounterpartyDirectory],
})
export class TemplatesModule {}
