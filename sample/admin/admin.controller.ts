import { Controller, Get, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { RdKafkaAdminService } from 'nest-rdkafka/admin';

/** The injected admin service: reads, and the replay of a dead-letter topic. */
@Controller('admin')
export class AdminController {
  constructor(private readonly admin: RdKafkaAdminService) {}

  /** Topics and their partition counts. */
  @Get('topics')
  async topics() {
    const { topics } = await this.admin.listTopics();
    return [...topics.values()]
      .map((t) => ({ name: t.name, partitions: t.partitions.length }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Consumer groups, their states and types (admin results are JSON-friendly: states are names). */
  @Get('groups')
  async groups() {
    const { valid } = await this.admin.listConsumerGroups();
    return valid
      .map((g) => ({ groupId: g.groupId, state: g.state, type: g.type, protocolType: g.protocolType }))
      .sort((a, b) => a.groupId.localeCompare(b.groupId));
  }

  /**
   * Writes the records of a dead-letter topic back to their original topics (at most `max` per call); progress
   * is kept in a consumer group, so calling again goes on where the last call ended.
   */
  @Post('dead-letters/:topic/replay')
  replay(@Param('topic') topic: string, @Query('max', new ParseIntPipe({ optional: true })) max?: number) {
    return this.admin.replayDeadLetters(topic, { maxRecords: max, timeoutMs: 30_000 });
  }
}
