import { describe, expect, it } from 'vitest';
import { matches, SearchQueryError, searchPage } from '../../../connectors/simulator/intercom-search.js';

const items = Array.from({ length: 7 }, (_, i) => ({
  id: String(10 + i),
  updated_at: 100 + (i % 3),
  state: i % 2 ? 'open' : 'closed',
}));

describe('the simulated search query language', () => {
  it.each([
    [{ field: 'updated_at', operator: '>', value: 101 }, ['11', '12', '14', '15']],
    [{ field: 'updated_at', operator: '<', value: 100 }, ['10', '13', '16']],
    [{ field: 'id', operator: 'IN', value: ['10', '16'] }, ['10', '16']],
    [{ field: 'state', operator: '!=', value: 'open' }, ['10', '12', '14', '16']],
    [
      {
        operator: 'AND',
        value: [
          { field: 'state', operator: '=', value: 'open' },
          { field: 'updated_at', operator: '>', value: 101 },
        ],
      },
      ['11', '15'],
    ],
  ])('%j matches %j (">" and "<" include equality, as documented)', (query, ids) => {
    expect(items.filter((item) => matches(item, query)).map((i) => i.id)).toEqual(ids);
  });

  it.each([
    [
      {
        operator: 'AND',
        value: [
          {
            operator: 'OR',
            value: [{ operator: 'AND', value: [{ field: 'id', operator: '=', value: '1' }] }],
          },
        ],
      },
    ],
    [{ field: 'id', operator: 'IN', value: '10' }],
    [{ field: 'id', operator: 'LIKE', value: '10' }],
  ])('refuses %j', (query) => {
    expect(() => matches(items[0]!, query)).toThrow(SearchQueryError);
  });

  it('pages in (updated_at, id) order with an opaque starting_after until the last page', () => {
    const query = { field: 'updated_at', operator: '>', value: 0 };
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page = searchPage(items, query, 3, after);
      seen.push(...page.items.map((i) => i.id));
      after = page.next;
      pages += 1;
    } while (after !== null);
    expect(pages).toBe(3);
    expect(seen).toEqual(['10', '13', '16', '11', '14', '12', '15']);
  });
});
