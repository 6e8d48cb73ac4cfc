/**
 * Zendesk objects as the simulator serves them: the documented JSON format of tickets, users
 * and organizations (developer.zendesk.com/api-reference/ticketing/tickets/tickets/, .../users/users/,
 * .../organizations/organizations/), trimmed to the fields a helpdesk export really carries.
 */

/** The sample account's API root, as it appears in the `url` of its objects. */
export const SAMPLE_API = 'https://fieldnote.zendesk.com/api/v2';

export interface ZendeskVia {
  channel: 'email' | 'web' | 'api' | 'voice' | 'chat';
  source: { from: Record<string, unknown>; to: Record<string, unknown>; rel: string | null };
}

export interface ZendeskCustomField {
  id: number;
  value: string | number | boolean | null | string[];
}

export interface ZendeskTicketJson {
  url: string;
  id: number;
  external_id: string | null;
  via: ZendeskVia;
  created_at: string;
  updated_at: string;
  /** Unix seconds; bumped by every change. The export follows it. */
  generated_timestamp: number;
  type: 'problem' | 'incident' | 'question' | 'task' | null;
  subject: string;
  raw_subject: string;
  description: string;
  priority: 'urgent' | 'high' | 'normal' | 'low' | null;
  status: 'new' | 'open' | 'pending' | 'hold' | 'solved' | 'closed' | 'deleted';
  recipient: string | null;
  requester_id: number;
  submitter_id: number;
  assignee_id: number | null;
  organization_id: number | null;
  group_id: number | null;
  collaborator_ids: number[];
  follower_ids: number[];
  email_cc_ids: number[];
  problem_id: number | null;
  has_incidents: boolean;
  is_public: boolean;
  due_at: string | null;
  tags: string[];
  custom_fields: ZendeskCustomField[];
  satisfaction_rating: { score: string } | null;
  followup_ids: number[];
  brand_id: number;
  from_messaging_channel: boolean;
}

export interface ZendeskUserJson {
  url: string;
  id: number;
  name: string;
  email: string | null;
  external_id: string | null;
  role: 'end-user' | 'agent' | 'admin';
  organization_id: number | null;
  created_at: string;
  updated_at: string;
  active: boolean;
  verified: boolean;
  suspended: boolean;
  time_zone: string;
  locale: string;
  tags: string[];
  user_fields: Record<string, unknown>;
}

export interface ZendeskOrganizationJson {
  url: string;
  id: number;
  name: string;
  external_id: string | null;
  domain_names: string[];
  created_at: string;
  updated_at: string;
  details: string;
  notes: string;
  group_id: number | null;
  shared_tickets: boolean;
  shared_comments: boolean;
  tags: string[];
  organization_fields: Record<string, unknown>;
}

/** Zendesk's time format: ISO-8601 UTC to the second. */
export function zendeskTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
