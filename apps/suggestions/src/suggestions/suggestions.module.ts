import { Module } from '@nestjs/common';
import { CounterpartyDirectory } from './counterparty.directory';
import { MiningService } from './mining.service';
import { SuggestionRepository } from './suggestion.repository';
import { SuggestionsController } from './suggestions.controller';
import { SuggestionsService } from './suggestions.service';

@Module({
  controllers: [SuggestionsController],
  providers: [SuggestionRepository, MiningService, SuggestionsService, CounterpartyDirectory],
  exports: [SuggestionRepository, MiningService],
})
export class SuggestionsModule {}
