import { createRandom } from '../../connectors/simulator/random.js';
import { PRODUCT_NAME } from '../../connectors/simulator/sample-names.js';
import {
  fillText,
  REASON_TAGS,
  REASON_WEIGHTS,
  TICKET_TEXTS,
} from '../../connectors/simulator/sample-texts.js';

export interface SimulatedTicket {
  key: string;
  ticketId: string;
  subject: string;
  text: string;
  /** The reason the simulator wrote it for (`none`: no reason). */
  label: string;
  /** Tags the simulator gives it: the template's and, 3 in 10 times, the reason's tag. */
  tags: string[];
}

const MONTHS = ['January', 'March', 'May', 'July', 'September', 'November'];
const NAMES = ['Ana', 'Bo', 'Chen', 'Dara', 'Emil', 'Farah'];
const COMPANIES = ['Acme Analytics', 'Birch Labs', 'Cobalt Foods', 'Dune Travel'];

/**
 * Tickets written the way the helpdesk simulator writes them (its templates, reason weights and
 * tag habits), labelled with the reason each template was written for: the labelled text the
 * learned classifier is trained and judged on. Deterministic in `seed`.
 */
export function simulatedTickets(count: number, seed = 9): SimulatedTicket[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const label = random.weighted(REASON_WEIGHTS);
    const template = random.pick(TICKET_TEXTS[label] ?? []);
    const text = fillText(template, {
      first: random.pick(NAMES),
      company: random.pick(COMPANIES),
      product: PRODUCT_NAME,
      n: String(random.int(2, 40) * (random.chance(0.5) ? 1 : 250)),
      month: random.pick(MONTHS),
      amount: `€${random.int(29, 990)}.00`,
    });
    const reasonTag = REASON_TAGS[label];
    const tags = [...(text.tags ?? []), ...(reasonTag && random.chance(0.3) ? [reasonTag] : [])];
    const ticketId = String(5000 + i);
    return {
      key: `zendesk/${ticketId}`,
      ticketId,
      subject: text.subject,
      text: `${text.subject}\n${text.body}`,
      label,
      tags,
    };
  });
}
