import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { CursorCodec } from './cursor.js';

/** Signs and reads the opaque page cursors of every list (HMAC with the JWT secret). */
@Module({
  providers: [
    {
      provide: CursorCodec,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new CursorCodec(config.jwtSecret ?? ''),
    },
  ],
  exports: [CursorCodec],
})
export class CursorModule {}
