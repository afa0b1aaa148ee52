// The transactions list's category filter: every category of the list, or the transactions without one.
import { useQuery } from '../../app/api.js';

/** the select's value for "without a category" (category names never start with a space) */
export const NO_CATEGORY = ' none';

export function CategoryFilter({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const categories = useQuery('categories.list');
  return (
    <label>Category
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">All categories</option>
        <option value={NO_CATEGORY}>Without a category</option>
        {(categories.data ?? []).map((c) => <option key={c.id} value={c.name}>{c.name}</option>)}
        {/* a category from the address that is not (or not yet) in the list stays selectable */}
        {value && value !== NO_CATEGORY && categories.data && !categories.data.some((c) => c.name === value) ? <option value={value}>{value}</option> : null}
      </select>
    </label>
  );
}
