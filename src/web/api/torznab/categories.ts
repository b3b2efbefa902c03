// Our categories as the standard Newznab ids the *arr apps filter by (Radarr asks for 2000s,
// Sonarr 5000s, Lidarr 3000s, Readarr 7000s). The defaults map by slug; a category an admin
// added gets a site-specific id of 100000 + its id, which the Torznab convention reserves for
// them and which caps lists so Prowlarr can map it by hand.
import type { CategoryOption } from '../../categories.js';

interface Standard {
  id: number;
  name: string;
  /** the subcategory our category is, under `id`, when there is one */
  sub?: { id: number; name: string };
}

const BY_SLUG: Record<string, Standard> = {
  movies: { id: 2000, name: 'Movies' },
  tv: { id: 5000, name: 'TV' },
  music: { id: 3000, name: 'Audio' },
  games: { id: 4000, name: 'PC', sub: { id: 4050, name: 'PC/Games' } },
  software: { id: 4000, name: 'PC' },
  books: { id: 7000, name: 'Books' },
  other: { id: 8000, name: 'Other' },
};

export const CUSTOM_BASE = 100_000;

const standardOf = (category: Pick<CategoryOption, 'slug'>): Standard | undefined =>
  Object.hasOwn(BY_SLUG, category.slug) ? BY_SLUG[category.slug] : undefined;

/** The Newznab ids an item of this category carries: its subcategory first, then the parent. */
export function newznabIds(category: Pick<CategoryOption, 'id' | 'slug'>): number[] {
  const standard = standardOf(category);
  if (!standard) return [CUSTOM_BASE + category.id];
  return standard.sub ? [standard.sub.id, standard.id] : [standard.id];
}

const parentOf = (id: number): number => (id >= CUSTOM_BASE ? id : Math.floor(id / 1000) * 1000);

/**
 * Our category ids that a `cat=` list asks for. A parent (2000) takes every category under
 * it; a subcategory (2040, Movies/HD) takes the category mapped to it exactly, or else the one
 * mapped to its parent, since our categories are not split by quality.
 */
export function categoriesFor(requested: number[], categories: CategoryOption[]): number[] {
  const out = new Set<number>();
  const mapped = categories.map((c) => ({ id: c.id, ids: newznabIds(c) }));
  for (const want of requested) {
    const exact = mapped.filter((c) => c.ids[0] === want || (want === parentOf(want) && c.ids.includes(want)));
    const matches = exact.length > 0 ? exact : mapped.filter((c) => c.ids.length === 1 && c.ids[0] === parentOf(want));
    for (const c of matches) out.add(c.id);
  }
  return [...out];
}

export interface CapsCategory {
  id: number;
  name: string;
  subcats: Array<{ id: number; name: string }>;
}

/** The category tree caps announces: the standard parents we use, their subcats, custom ones. */
export function capsCategories(categories: CategoryOption[]): CapsCategory[] {
  const tree = new Map<number, CapsCategory>();
  for (const category of categories) {
    const standard = standardOf(category);
    if (!standard) {
      tree.set(CUSTOM_BASE + category.id, { id: CUSTOM_BASE + category.id, name: category.name, subcats: [] });
      continue;
    }
    const node = tree.get(standard.id) ?? { id: standard.id, name: standard.name, subcats: [] };
    if (standard.sub && !node.subcats.some((s) => s.id === standard.sub!.id)) node.subcats.push(standard.sub);
    tree.set(standard.id, node);
  }
  return [...tree.values()].sort((a, b) => a.id - b.id);
}
