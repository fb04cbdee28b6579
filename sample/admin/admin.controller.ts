import { Controller, Get } from '@nestjs/common';
import { ConsumerGroupState, RdKafkaAdminService } from 'nest-rdkafka';

const STATE_NAMES = new Map<number, string>(Object.entries(ConsumerGroupState).map(([name, code]) => [code, name]));

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

  /** Consumer groups and their states. */
  @Get('groups')
  async groups() {
    const { valid } = await this.admin.listConsumerGroups();
    return valid
      .map((g) => ({ groupId: g.groupId, state: STATE_NAMES.get(g.state) ?? String(g.state), protocolType: g.protocolType }))
      .sort((a, b) => a.groupId.localeCompare(b.groupId));
  }
}
