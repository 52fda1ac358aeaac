import { Module } from '@nestjs/common';
import { DeliveryController } from './delivery.controller';
import { DeliveryRepository } from './delivery.repository';
import { DeliveryService } from './delivery.service';

@Module({ controllers: [DeliveryController], providers: [DeliveryService, DeliveryRepository] })
export class DeliveryModule {}
