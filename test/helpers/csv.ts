// Reads CSV back in tests, independently of the writer under test.

/** RFC 4180 records (quoted fields, doubled quotes, line breaks inside quotes) as objects by header */
export function parseCsv(text: string): Array<Record<string, string>> {
  const records: string[][] = [];
  let field = ''; let record: string[] = []; let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { record.push(field); field = ''; }
    else if (c === '\n') { record.push(field); records.push(record); record = []; field = ''; }
    else field += c;
  }
  if (field || record.length) { record.push(field); records.push(record); }
  const [header, ...rest] = records;
  return rest.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}
