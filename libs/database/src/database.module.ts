import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '@app/config';
import { dataSourceOptions } from './data-source-options';

@Module({})
export class DatabaseModule {
  static forRoot(config: AppConfig): DynamicModule {
    const url = config.databaseUrl;
    if (!url) throw new Error('DatabaseModule needs a database URL: the standalone app starts one, the other apps need DATABASE_URL');
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(url, config.databasePoolSize),
          autoLoadEntities: true,
        }),
      ],
    };
  }
}
