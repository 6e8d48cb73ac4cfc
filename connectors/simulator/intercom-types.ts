/**
 * Intercom objects as the simulator serves them: the documented JSON of API 2.14
 * (intercom/Intercom-OpenAPI `descriptions/2.14/api.intercom.io.yaml`: conversation, ticket,
 * contact, company, admin), trimmed to what a workspace export really carries.
 */

/** The sample workspace's app id (`/me` → `app.id_code`). */
export const SAMPLE_APP_ID = 'fn4x2k7q';

export interface IntercomContactRef {
  type: 'contact';
  id: string;
  external_id: string | null;
}

export interface IntercomAuthor {
  type: 'user' | 'lead' | 'admin' | 'bot';
  id: string;
  name: string | null;
  email: string | null;
}

export interface IntercomConversationJson {
  type: 'conversation';
  id: string;
  title: string | null;
  created_at: number;
  updated_at: number;
  waiting_since: number | null;
  snoozed_until: number | null;
  open: boolean;
  state: 'open' | 'closed' | 'snoozed';
  read: boolean;
  priority: 'priority' | 'not_priority';
  admin_assignee_id: number | null;
  team_assignee_id: string | null;
  tags: { type: 'tag.list'; tags: Array<{ type: 'tag'; id: string; name: string; applied_at: number }> };
  source: {
    type: 'conversation' | 'email' | 'phone_call' | 'push';
    id: string;
    delivered_as: 'customer_initiated' | 'admin_initiated' | 'campaigns_initiated' | 'automated';
    subject: string;
    body: string;
    author: IntercomAuthor;
    attachments: unknown[];
    url: string | null;
    redacted: boolean;
  };
  contacts: { type: 'contact.list'; contacts: IntercomContactRef[] };
  teammates: { type: 'admin.list'; admins: Array<{ type: 'admin'; id: string }> };
  custom_attributes: Record<string, string | number | boolean | null>;
  linked_objects: {
    type: 'list';
    data: Array<{ type: 'ticket' | 'conversation'; id: string }>;
    total_count: number;
    has_more: boolean;
  };
  ai_agent_participated: boolean;
  /** Only in `GET /conversations/{id}` (at most the 500 most recent); never in list or search. */
  conversation_parts: {
    type: 'conversation_part.list';
    conversation_parts: IntercomPartJson[];
    total_count: number;
  };
}

export interface IntercomPartJson {
  type: 'conversation_part';
  id: string;
  part_type: 'comment' | 'note' | 'assignment' | 'close';
  body: string | null;
  created_at: number;
  updated_at: number;
  author: IntercomAuthor;
}

export interface IntercomTicketJson {
  type: 'ticket';
  id: string;
  ticket_id: string;
  category: 'Customer' | 'Back-office' | 'Tracker';
  ticket_attributes: Record<string, string | number | boolean | null>;
  ticket_state: {
    type: 'ticket_state';
    id: string;
    category: 'submitted' | 'in_progress' | 'waiting_on_customer' | 'resolved';
    internal_label: string;
    external_label: string;
  };
  ticket_type: { type: 'ticket_type'; id: string; name: string; category: string };
  contacts: { type: 'contact.list'; contacts: IntercomContactRef[] };
  admin_assignee_id: string | null;
  team_assignee_id: string | null;
  created_at: number;
  updated_at: number;
  open: boolean;
  snoozed_until: number | null;
  linked_objects: {
    type: 'list';
    data: Array<{ type: 'ticket' | 'conversation'; id: string }>;
    total_count: number;
    has_more: boolean;
  };
  is_shared: boolean;
}

export interface IntercomContactJson {
  type: 'contact';
  id: string;
  workspace_id: string;
  external_id: string | null;
  role: 'user' | 'lead';
  email: string;
  name: string;
  created_at: number;
  updated_at: number;
  companies: {
    type: 'list';
    data: Array<{ type: 'company'; id: string; url: string }>;
    url: string;
    total_count: number;
    has_more: boolean;
  };
}

export interface IntercomCompanyJson {
  type: 'company';
  id: string;
  company_id: string;
  name: string;
  app_id: string;
  created_at: number;
  updated_at: number;
  user_count: number;
  custom_attributes: Record<string, unknown>;
}

export interface IntercomAdminJson {
  type: 'admin';
  id: string;
  name: string;
  email: string;
}

export function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}
