import { createHash } from 'node:crypto';
import { emailDomain } from '../domain/link-ticket.js';
import type { ClassifiedBy } from '../domain/reason.js';
import { UNCLASSIFIED } from '../domain/reason.js';
import type { CustomerStatus, LinkMethod } from '../domain/status-types.js';
import type { FieldValue, QuarantinedPayload, Source, Ticket } from '../domain/ticket.js';
import type { TicketKey, TicketVerdict, WarehouseTicketRow } from './store.js';

/**
 * Row shapes shared by both adapters. Their drizzle schemas use the same TypeScript types
 * (epoch ms, booleans, parsed JSON), so one mapping serves SQLite and Postgres.
 */
export interface TicketRow {
  source: Source;
  ticketId: string;
  connectionId: string;
  createdAt: number;
  updatedAt: number;
  status: string;
  subject: string;
  body: string;
  tags: string[];
  fields: Record<string, FieldValue>;
  requesterId: string | null;
  requesterExternalId: string | null;
  requesterEmail: string | null;
  requesterDomain: string | null;
  requesterOrgIds: string[];
  outbound: boolean;
  deleted: boolean;
  merged: boolean;
}

/** A synced ticket's row (its pending and unexported marks are rows of their own, see schema). */
export function ticketRow(ticket: Ticket): TicketRow {
  return {
    source: ticket.source,
    ticketId: ticket.ticketId,
    connectionId: ticket.connectionId,
    createdAt: ticket.createdAt,
    updatedAt: ticket.updatedAt,
    status: ticket.status,
    subject: ticket.subject,
    body: ticket.text,
    tags: ticket.tags,
    fields: ticket.fields,
    requesterId: ticket.requester.id,
    requesterExternalId: ticket.requester.externalId,
    requesterEmail: ticket.requester.email,
    // Stored so "tickets from this domain" is an indexed lookup when a customer's domains change.
    requesterDomain: emailDomain(ticket.requester.email),
    requesterOrgIds: ticket.requester.organizationExternalIds,
    outbound: ticket.outbound,
    deleted: ticket.deleted,
    merged: ticket.merged,
  };
}

export function ticketFromRow(row: TicketRow): Ticket {
  return {
    source: row.source,
    connectionId: row.connectionId,
    ticketId: row.ticketId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    status: row.status,
    subject: row.subject,
    text: row.body,
    tags: row.tags,
    fields: row.fields,
    requester: {
      id: row.requesterId,
      externalId: row.requesterExternalId,
      email: row.requesterEmail,
      organizationExternalIds: row.requesterOrgIds,
    },
    outbound: row.outbound,
    deleted: row.deleted,
    merged: row.merged,
  };
}

export function keyOf(key: TicketKey): string {
  return `${key.source}/${key.ticketId}`;
}

export function keyPair(key: TicketKey): [string, string] {
  return [key.source, key.ticketId];
}

export interface QuarantineRow {
  connectionId: string;
  source: Source;
  kind: string;
  externalId: string | null;
  payload: string;
  error: string;
  fingerprint: string;
  createdAt: number;
}

export function quarantineRow(item: QuarantinedPayload, createdAt: number): QuarantineRow {
  const payload = payloadText(item.payload);
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([item.connectionId, item.source, item.kind, item.externalId, item.error, payload]))
    .digest('hex');
  return {
    connectionId: item.connectionId,
    source: item.source,
    kind: item.kind,
    externalId: item.externalId,
    payload,
    error: item.error,
    fingerprint,
    createdAt,
  };
}

/** Whatever failed validation is kept, even when it is not JSON-serializable. */
function payloadText(payload: unknown): string {
  try {
    return JSON.stringify(payload) ?? 'null';
  } catch {
    return String(payload);
  }
}

/** A ticket joined with its link and reason (both absent until the ticket is first linked). */
export interface TicketExportRow {
  source: Source;
  ticketId: string;
  createdAt: number;
  updatedAt: number;
  status: string;
  customerId: string | null;
  linkMethod: LinkMethod | null;
  milestonePhase: string | null;
  inWindow: boolean | null;
  countsTowardMetric: boolean | null;
  reasonId: string | null;
  reasonConfidence: number | null;
  classifiedBy: ClassifiedBy | null;
  reasonDetail: string | null;
}

export function warehouseTicket(row: TicketExportRow): WarehouseTicketRow {
  return {
    source: row.source,
    ticketId: row.ticketId,
    customerId: row.customerId,
    linkMethod: row.linkMethod ?? 'none',
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    status: row.status,
    reasonId: row.reasonId ?? UNCLASSIFIED,
    reasonConfidence: row.reasonConfidence ?? 0,
    classifiedBy: row.classifiedBy ?? 'none',
    reasonDetail: row.reasonDetail ?? '',
    milestonePhase: row.milestonePhase,
    inWindow: row.inWindow ?? false,
    countsTowardMetric: row.countsTowardMetric ?? false,
  };
}

export function sameStatus(a: CustomerStatus, b: CustomerStatus): boolean {
  return (
    a.customerId === b.customerId &&
    a.windowStart === b.windowStart &&
    a.completedAt === b.completedAt &&
    a.windowEnd === b.windowEnd &&
    a.status === b.status &&
    a.countingTickets === b.countingTickets &&
    a.firstTicketId === b.firstTicketId &&
    a.firstTicketReason === b.firstTicketReason
  );
}

export function sameVerdict(
  a: Pick<TicketVerdict, 'inWindow' | 'countsTowardMetric' | 'milestonePhase'>,
  b: Pick<TicketVerdict, 'inWindow' | 'countsTowardMetric' | 'milestonePhase'>,
): boolean {
  return (
    a.inWindow === b.inWindow &&
    a.countsTowardMetric === b.countsTowardMetric &&
    a.milestonePhase === b.milestonePhase
  );
}

/** One string per metric period row: `week/2026-03-02`. */
export function periodKeyOf(p: { periodKind: string; periodStart: string }): string {
  return `${p.periodKind}/${p.periodStart}`;
}
