/**
 * Removes secrets from text shown anywhere: logs, the printed config, child-process output,
 * the status API. Three nets, each catching what the others may miss:
 *
 * 1. the secret values themselves, remembered when the configuration is loaded (the API key,
 *    the camera's password), replaced wherever they appear, in any form of text;
 * 2. passwords in URLs (`rtsp://user:pass@host`): everything from the `:` after the user to
 *    the last `@` of the word is masked, so a raw `@` or `/` in a password is covered (a host
 *    is sometimes masked too; a password never shown);
 * 3. keys and tokens in query strings (`appid=`, `apikey=`, `key=`, `token=`, `password=`).
 */

/** Secret values seen in this process's configuration. Shorter ones would mask ordinary words. */
const remembered = new Set<string>();
const SHORTEST_REMEMBERED = 4;

/** Masks `value` wherever scrubSecrets sees it from now on, for the life of the process. */
export function rememberSecret(value: string | null | undefined): void {
  if (value && value.length >= SHORTEST_REMEMBERED) remembered.add(value);
}

export function scrubSecrets(text: string): string {
  let out = text;
  for (const secret of remembered) if (out.includes(secret)) out = out.split(secret).join('***');

  return out
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):\S*@/gi, '$1:***@')
    .replace(/([?&](?:appid|api_?key|key|token|access_token|password|pass|pwd)=)[^&\s"']+/gi, '$1***');
}

/**
 * The password of a URL-like setting (`[scheme://]user:password@host…`), or null. The password
 * runs from the first `:` after the user to the last `@`, so it may hold `@`, `/` or spaces.
 */
export function urlPassword(url: string): string | null {
  const at = url.lastIndexOf('@');
  if (at < 0) return null;

  const schemeEnd = url.indexOf('://');
  const userStart = schemeEnd >= 0 && schemeEnd < at ? schemeEnd + 3 : 0;
  const colon = url.indexOf(':', userStart);
  if (colon < 0 || colon > at) return null;
  return url.slice(colon + 1, at);
}

/** A URL-like setting as it may be shown: its password, if any, as `***`. */
export function maskUrlPassword(url: string): string {
  const password = urlPassword(url);
  if (password === null || password === '') return url;

  const at = url.lastIndexOf('@');
  return `${url.slice(0, at - password.length)}***${url.slice(at)}`;
}

/** A secret value as it may be shown: whether it is set, never what it is. */
export function maskSecret(value: string | undefined | null): string | null {
  if (value === undefined || value === null || value === '') return null;
  return '***';
}
