// A bank CSV's columns, named once per layout: which column is the date, the amount (signed; money out and in; or an
// amount with a debit/credit column and the values that mean each), the text (one or more columns, joined in order);
// the date format, the decimal mark and the currency. Main remembers the mapping once an import with it succeeds.
import { useState, type FormEvent } from 'react';
import { DATE_FORMATS, type CsvMapping, type DateFormat } from '../../../../preload/contract/imports.js';
import { useT } from '../../app/i18n.js';

const guess = (headers: string[], re: RegExp) => headers.find((h) => re.test(h)) ?? '';
/** "S, Soll" -> ['S', 'Soll'] */
const valueList = (text: string) => text.split(',').map((v) => v.trim()).filter(Boolean);

type Sign = 'minus' | 'columns' | 'direction';

export function CsvMappingForm({ headers, currency: accountCurrency, busy, onSubmit }: { headers: string[]; currency: string; busy: boolean; onSubmit: (m: CsvMapping) => void }) {
  const t = useT();
  const [date, setDate] = useState(guess(headers, /^(buchungstag|datum|date|data operacji|dátum)/i));
  const [sign, setSign] = useState<Sign>('minus');
  const [amount, setAmount] = useState(guess(headers, /(betrag|umsatz|amount|kwota|suma)/i));
  const [debit, setDebit] = useState('');
  const [credit, setCredit] = useState('');
  const [direction, setDirection] = useState(guess(headers, /^(soll\/haben|s\/h|typ|type|art|strana|cdtdbtind|debit\/credit)$/i));
  const [debitValues, setDebitValues] = useState('D, S, DBIT, Debit, Soll');
  const [creditValues, setCreditValues] = useState('C, H, CRDT, Credit, Haben');
  const [texts, setTexts] = useState([guess(headers, /(verwendungszweck|buchungstext|description|opis|popis)/i)]);
  const [counterparty, setCounterparty] = useState('');
  const [dateFormat, setDateFormat] = useState<DateFormat>('DD.MM.YYYY');
  const [decimal, setDecimal] = useState<',' | '.'>(',');
  const [currency, setCurrency] = useState(accountCurrency);

  const column = (label: string, value: string, set: (v: string) => void, optional = false) => (
    <label>
      {label}
      <select value={value} onChange={(e) => set(e.target.value)} required={!optional}>
        <option value="">{optional ? t('csv.none') : t('csv.choose')}</option>
        {headers.map((h) => <option key={h} value={h}>{h}</option>)}
      </select>
    </label>
  );
  const setText = (i: number) => (v: string) => setTexts((all) => all.map((x, j) => (j === i ? v : x)));
  const amounts = (): Partial<CsvMapping> => {
    switch (sign) {
      case 'minus': return { amount };
      case 'columns': return { debit, credit };
      case 'direction': return { amount, directionColumn: direction, debitValues: valueList(debitValues), creditValues: valueList(creditValues) };
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({
      date, description: texts, currency: currency.trim().toUpperCase(), dateFormat, decimal,
      ...amounts(), ...(counterparty ? { counterparty } : {}),
    });
  };
  return (
    <form className="csv-mapping" aria-label={t('csv.form')} onSubmit={submit}>
      <p className="small">{t('csv.intro')}</p>
      {column(t('csv.date'), date, setDate)}
      <label>
        {t('csv.sign')}
        <select value={sign} onChange={(e) => setSign(e.target.value as Sign)}>
          <option value="minus">{t('csv.sign.minus')}</option>
          <option value="columns">{t('csv.sign.columns')}</option>
          <option value="direction">{t('csv.sign.direction')}</option>
        </select>
      </label>
      {sign === 'columns' ? <>{column(t('csv.out'), debit, setDebit)}{column(t('csv.in'), credit, setCredit)}</> : column(t('csv.amount'), amount, setAmount)}
      {sign === 'direction' ? (
        <>
          {column(t('csv.directionColumn'), direction, setDirection)}
          <label>{t('csv.outValues')} <span className="muted small">{t('csv.commaSeparated')}</span>
            <input value={debitValues} required onChange={(e) => setDebitValues(e.target.value)} />
          </label>
          <label>{t('csv.inValues')} <span className="muted small">{t('csv.commaSeparated')}</span>
            <input value={creditValues} required onChange={(e) => setCreditValues(e.target.value)} />
          </label>
        </>
      ) : null}
      {texts.map((text, i) => (
        <div key={i} className="row">
          {column(i === 0 ? t('csv.text') : t('csv.textN', { n: i + 1 }), text, setText(i))}
          {i > 0 ? <button type="button" className="ghost" onClick={() => setTexts((x) => x.filter((_, j) => j !== i))}>{t('csv.text.remove', { n: i + 1 })}</button> : null}
        </div>
      ))}
      {texts.length < Math.min(10, headers.length) ? (
        <button type="button" className="ghost" onClick={() => setTexts((x) => [...x, ''])}>{t('csv.text.add')}</button>
      ) : null}
      {column(t('csv.counterparty'), counterparty, setCounterparty, true)}
      <label>
        {t('csv.dateFormat')}
        <select value={dateFormat} onChange={(e) => setDateFormat(e.target.value as DateFormat)}>
          {DATE_FORMATS.map((f) => <option key={f} value={f}>{f}</option>)}
        </select>
      </label>
      <label>
        {t('csv.decimal')}
        <select value={decimal} onChange={(e) => setDecimal(e.target.value as ',' | '.')}>
          <option value=",">{t('csv.decimal.comma')}</option>
          <option value=".">{t('csv.decimal.point')}</option>
        </select>
      </label>
      <label>
        {t('manual.currency')}
        <input value={currency} required maxLength={3} pattern="[A-Za-z]{3}" title={t('currency.code.title')} onChange={(e) => setCurrency(e.target.value)} />
      </label>
      <button type="submit" className="primary" disabled={busy}>{t('csv.preview')}</button>
    </form>
  );
}
