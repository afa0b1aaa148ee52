// The transactions list's category filter: every category of the list, or the transactions without one.
import { useQuery } from '../../app/api.js';
import { useT } from '../../app/i18n.js';

/** the select's value for "without a category" (category names never start with a space) */
export const NO_CATEGORY = ' none';

export function CategoryFilter({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const categories = useQuery('categories.list');
  const t = useT();
  return (
    <label>{t('tx.category')}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('tx.category.all')}</option>
        <option value={NO_CATEGORY}>{t('tx.category.none')}</option>
        {(categories.data ?? []).map((c) => <option key={c.id} value={c.name}>{c.name}</option>)}
        {/* a category from the address that is not (or not yet) in the list stays selectable */}
        {value && value !== NO_CATEGORY && categories.data && !categories.data.some((c) => c.name === value) ? <option value={value}>{value}</option> : null}
      </select>
    </label>
  );
}
