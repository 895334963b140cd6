import { Module } from '@nestjs/common';

/**
 * Placeholder created by the gateway core so AppModule can import the web UI from day one;
 * the web UI engineer owns and replaces this file.
 */
@Module({})
export class WebModule {}
