// A bank CSV's columns, named once per layout: which column is the date, the amount (or money out and in), the text;
// the date format, the decimal mark and the currency. Main remembers the mapping once an import with it succeeds.
import { useState, type FormEvent } from 'react';
import { DATE_FORMATS, type CsvMapping, type DateFormat } from '../../../../preload/contract/imports.js';

const guess = (headers: string[], re: RegExp) => headers.find((h) => re.test(h)) ?? '';

export function CsvMappingForm({ headers, currency, busy, onSubmit }: { headers: string[]; currency: string; busy: boolean; onSubmit: (m: CsvMapping) => void }) {
  const [date, setDate] = useState(guess(headers, /^(buchungstag|datum|date|data operacji|dátum)/i));
  const [twoColumns, setTwoColumns] = useState(false);
  const [amount, setAmount] = useState(guess(headers, /(betrag|umsatz|amount|kwota|suma)/i));
  const [debit, setDebit] = useState('');
  const [credit, setCredit] = useState('');
  const [description, setDescription] = useState(guess(headers, /(verwendungszweck|buchungstext|description|opis|popis)/i));
  const [counterparty, setCounterparty] = useState('');
  const [dateFormat, setDateFormat] = useState<DateFormat>('DD.MM.YYYY');
  const [decimal, setDecimal] = useState<',' | '.'>(',');

  const column = (label: string, value: string, set: (v: string) => void, optional = false) => (
    <label>
      {label}
      <select value={value} onChange={(e) => set(e.target.value)} required={!optional}>
        <option value="">{optional ? '(none)' : 'Choose a column'}</option>
        {headers.map((h) => <option key={h} value={h}>{h}</option>)}
      </select>
    </label>
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({
      date, description: [description], currency, dateFormat, decimal,
      ...(twoColumns ? { debit, credit } : { amount }), ...(counterparty ? { counterparty } : {}),
    });
  };
  return (
    <form className="csv-mapping" aria-label="CSV columns" onSubmit={submit}>
      <p className="small">This bank&apos;s CSV layout is new here: say once which column holds what. It is remembered for the next file.</p>
      {column('Date', date, setDate)}
      <label><input type="checkbox" checked={twoColumns} onChange={(e) => setTwoColumns(e.target.checked)} /> Money out and money in are separate columns</label>
      {twoColumns ? <>{column('Money out', debit, setDebit)}{column('Money in', credit, setCredit)}</> : column('Amount', amount, setAmount)}
      {column('Text', description, setDescription)}
      {column('Counterparty', counterparty, setCounterparty, true)}
      <label>
        Date format
        <select value={dateFormat} onChange={(e) => setDateFormat(e.target.value as DateFormat)}>
          {DATE_FORMATS.map((f) => <option key={f} value={f}>{f}</option>)}
        </select>
      </label>
      <label>
        Decimal mark
        <select value={decimal} onChange={(e) => setDecimal(e.target.value as ',' | '.')}>
          <option value=",">comma (1.234,56)</option>
          <option value=".">point (1,234.56)</option>
        </select>
      </label>
      <button type="submit" className="primary" disabled={busy}>Preview with these columns</button>
    </form>
  );
}
