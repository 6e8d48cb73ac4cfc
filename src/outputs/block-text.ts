/**
 * Block Kit as readable plain text, for previews and dry runs: one rendering of the very blocks
 * that are posted, so what a preview shows is what Slack shows. Covers the blocks zerotickets
 * sends (header, section, context, divider); mrkdwn emphasis (`*bold*`) is kept, links are
 * spelled out, entities unescaped. Mentions stay `<@owner>`: the Contract's form of an owner in
 * the digest, dry runs included.
 */
export function blocksToText(blocks: readonly unknown[]): string {
  const lines: string[] = [];
  for (const block of blocks) {
    const b = block as { type?: string; text?: { text?: string }; elements?: Array<{ text?: string }> };
    switch (b.type) {
      case 'header': {
        const title = plain(b.text?.text ?? '');
        lines.push(title, '═'.repeat(title.length));
        break;
      }
      case 'section':
        lines.push(...plain(b.text?.text ?? '').split('\n'));
        break;
      case 'context':
        lines.push((b.elements ?? []).map((e) => plain(e.text ?? '')).join(' · '));
        break;
      case 'divider':
        lines.push('');
        break;
      default:
        break;
    }
  }
  return lines.join('\n');
}

/** `<url|label>` → `label (url)`, `<url>` → `url`, then `&amp;` `&lt;` `&gt;`; `<@U1>` kept. */
function plain(mrkdwn: string): string {
  return mrkdwn
    .replace(/<([^@|>][^|>]*)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<([^@>][^>]*)>/g, '$1')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}
