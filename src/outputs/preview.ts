import { blocksToText } from './block-text.js';
import type { SlackMessage } from './slack.js';

/**
 * A message as a dry run or `digest --preview` prints it: the readable text, then the exact
 * JSON payload that would be posted (`text` + `blocks`), so it can be pasted into Slack's Block
 * Kit Builder.
 */
export function formatPreview(title: string, message: SlackMessage): string {
  return [
    blocksToText(message.blocks),
    '',
    `── ${title}: Block Kit payload ──`,
    JSON.stringify({ text: message.text, blocks: message.blocks }, null, 2),
  ].join('\n');
}
