import { Module } from '@nestjs/common';
import { PartiesController } from './parties.controller';
import { PartiesService } from './parties.service';
import { PartyRepository } from './party.repository';

@Module({
  controllers: [PartiesController],
  providers: [PartiesService, PartyRepository],
})
export class PartiesModule {}
