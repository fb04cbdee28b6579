import { Controller, Get } from '@nestjs/common';
import { RdKafkaAdminService } from 'nest-rdkafka/admin';

/** The injected admin service, read-only. */
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
}
