import type { Random } from './random.js';
import type { TicketText } from './sample-texts.js';
import {
  SAMPLE_API as API,
  type ZendeskTicketJson,
  type ZendeskUserJson,
  type ZendeskVia,
  zendeskTime,
} from './zendesk-types.js';

const DAY = 86_400_000;
/** Ticket fields of the sample account: the customer's plan, and a product area agents set. */
export const PLAN_FIELD_ID = 360_300_000_001;
export const AREA_FIELD_ID = 360_300_000_002;
const GROUP_ID = 360_100_000_001;
const BRAND_ID = 360_200_000_001;

/** A ticket before it has an id: who, when, what, and anything that overrides the defaults. */
export interface TicketDraft {
  createdAt: number;
  requester: ZendeskUserJson;
  submitter: ZendeskUserJson;
  text: TicketText;
  tags: string[];
  status?: ZendeskTicketJson['status'];
  channel?: ZendeskVia['channel'];
  cc?: number[];
}

export interface RenderContext {
  /** Nothing happens after this (epoch ms), so the export's one-minute lag hides nothing. */
  latest: number;
  agents: ZendeskUserJson[];
  supportDomain: string;
}

/** The draft as Zendesk would export it, with a status, timestamps and fields that fit its age. */
export function renderTicket(
  random: Random,
  id: number,
  draft: TicketDraft,
  ctx: RenderContext,
): ZendeskTicketJson {
  const age = ctx.latest - draft.createdAt;
  const status = draft.status ?? statusForAge(random, age);
  const touched =
    status === 'new' ? 0 : random.between(10 * 60_000, Math.min(5 * DAY, Math.max(age, 10 * 60_000)));
  const updatedAt = Math.min(ctx.latest, draft.createdAt + touched);
  // generated_timestamp moves on system updates too (automations closing solved tickets,
  // reindexing), so it can be days past updated_at.
  const systemLag =
    status === 'closed' && random.chance(0.3) ? random.between(1, 20) * DAY : random.int(0, 3600) * 1000;
  const generated = Math.floor(Math.min(ctx.latest, updatedAt + systemLag) / 1000);
  const channel =
    draft.channel ??
    random.weighted([
      ['email', 55],
      ['web', 35],
      ['api', 5],
      ['chat', 5],
    ] as const);
  const assignee = status === 'new' ? null : random.pick(ctx.agents).id;
  return {
    url: `${API}/tickets/${id}.json`,
    id,
    external_id: null,
    via: viaFor(channel, draft.requester, ctx.supportDomain),
    created_at: zendeskTime(draft.createdAt),
    updated_at: zendeskTime(updatedAt),
    generated_timestamp: generated,
    type: random.weighted([
      ['question', 50],
      ['problem', 30],
      ['incident', 15],
      ['task', 5],
    ] as const),
    subject: draft.text.subject,
    raw_subject: draft.text.subject,
    description: draft.text.body,
    priority: random.weighted([
      ['normal', 60],
      ['low', 15],
      ['high', 20],
      ['urgent', 5],
    ] as const),
    status,
    recipient: channel === 'email' ? `support@${ctx.supportDomain}` : null,
    requester_id: draft.requester.id,
    submitter_id: draft.submitter.id,
    assignee_id: assignee,
    organization_id: draft.requester.organization_id,
    group_id: GROUP_ID,
    collaborator_ids: draft.cc ?? [],
    follower_ids: [],
    email_cc_ids: draft.cc ?? [],
    problem_id: null,
    has_incidents: false,
    is_public: true,
    due_at: null,
    tags: [...new Set([...draft.tags, ...(channel === 'chat' ? ['web_widget'] : [])])],
    custom_fields: [
      { id: PLAN_FIELD_ID, value: random.pick(['starter', 'growth', 'enterprise', null]) },
      { id: AREA_FIELD_ID, value: null },
    ],
    satisfaction_rating: {
      score:
        status === 'solved' || status === 'closed'
          ? random.pick(['offered', 'good', 'good', 'bad'])
          : 'unoffered',
    },
    followup_ids: [],
    brand_id: BRAND_ID,
    from_messaging_channel: channel === 'chat',
  };
}

function statusForAge(random: Random, age: number): ZendeskTicketJson['status'] {
  if (age > 14 * DAY)
    return random.weighted([
      ['closed', 60],
      ['solved', 38],
      ['hold', 2],
    ] as const);
  if (age > 3 * DAY)
    return random.weighted([
      ['solved', 50],
      ['closed', 10],
      ['pending', 20],
      ['open', 20],
    ] as const);
  return random.weighted([
    ['new', 30],
    ['open', 50],
    ['pending', 20],
  ] as const);
}

function viaFor(
  channel: ZendeskVia['channel'],
  requester: ZendeskUserJson,
  supportDomain: string,
): ZendeskVia {
  if (channel === 'email') {
    return {
      channel,
      source: {
        from: { address: requester.email, name: requester.name },
        to: { address: `support@${supportDomain}`, name: 'Fieldnote Support' },
        rel: null,
      },
    };
  }
  if (channel === 'voice')
    return { channel, source: { from: { formatted_phone: '+1 (555) 010-0199' }, to: {}, rel: 'inbound' } };
  return { channel, source: { from: {}, to: {}, rel: null } };
}
