import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@billing/common';
import type { z } from 'zod';
import type { templatesConfigSchema } from './config';
import { templatesMigrations } from './migrations';
import { TemplatesModule } from './templates/templates.module';

export type TemplatesConfig = z.infer<typeof templatesConfigSchema>;

@Module({})
export class TemplatesAppModule {
  static forRoot(config: TemplatesConfig): DynamicModule {
    return {
      module: TemplatesAppModule,
      imports: [
        PlatformModule.forRoot({ service: 'templates', config, migrations: templatesMigrations }),
        TemplatesModule,
      ],
    };
  }
}
