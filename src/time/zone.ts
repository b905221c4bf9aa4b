/** Whether this Node's ICU knows `name` as an IANA time zone ("Europe/Brussels", "UTC"). */
export function isTimeZone(name: string): boolean {
  if (name.length === 0) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
