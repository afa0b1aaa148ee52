// The CSV mapping form: what it hands on for a signed amount, a debit/credit column with its values, and several text
// columns joined in order (the mapping main remembers per layout).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { renderUi } from '../../helpers/render.js';
import { CsvMappingForm } from '../../../renderer/src/features/accounts/CsvMappingForm.js';

afterEach(cleanup);
const HEADERS = ['Dátum', 'Suma', 'Typ', 'Protistrana', 'Správa', 'Poznámka'];
const pick = (name: string | RegExp, value: string) => fireEvent.change(screen.getByRole('combobox', { name }), { target: { value } });

describe('the CSV mapping form', () => {
  it('a signed amount and one text column, guessed where the header says so', () => {
    const onSubmit = vi.fn();
    renderUi(<CsvMappingForm headers={HEADERS} currency="EUR" busy={false} onSubmit={onSubmit} />);
    pick(/^Text$/, 'Správa');
    fireEvent.click(screen.getByRole('button', { name: 'Preview with these columns' }));
    expect(onSubmit).toHaveBeenCalledWith({ date: 'Dátum', amount: 'Suma', description: ['Správa'], currency: 'EUR', dateFormat: 'DD.MM.YYYY', decimal: ',' });
  });

  it('a debit/credit column with the values meaning each, and two text columns in the order chosen (one added, one removed)', () => {
    const onSubmit = vi.fn();
    renderUi(<CsvMappingForm headers={HEADERS} currency="EUR" busy={false} onSubmit={onSubmit} />);
    pick('Money out is shown by', 'direction');
    expect((screen.getByRole('combobox', { name: 'Debit/credit column' }) as HTMLSelectElement).value).toBe('Typ');
    fireEvent.change(screen.getByLabelText(/Values meaning money out/), { target: { value: 'Debet, DB ,' } });
    fireEvent.change(screen.getByLabelText(/Values meaning money in/), { target: { value: 'Kredit' } });
    pick(/^Text$/, 'Poznámka');
    fireEvent.click(screen.getByRole('button', { name: /Add a text column/ }));
    fireEvent.click(screen.getByRole('button', { name: /Add a text column/ }));
    pick('Text 2', 'Protistrana');
    pick('Text 3', 'Správa');
    fireEvent.click(screen.getByRole('button', { name: 'Remove text 2' }));
    pick('Counterparty', 'Protistrana');
    fireEvent.change(screen.getByLabelText('Currency'), { target: { value: 'czk' } });
    fireEvent.click(screen.getByRole('button', { name: 'Preview with these columns' }));
    expect(onSubmit).toHaveBeenCalledWith({
      date: 'Dátum', amount: 'Suma', directionColumn: 'Typ', debitValues: ['Debet', 'DB'], creditValues: ['Kredit'],
      description: ['Poznámka', 'Správa'], counterparty: 'Protistrana', currency: 'CZK', dateFormat: 'DD.MM.YYYY', decimal: ',',
    });
  });
});
