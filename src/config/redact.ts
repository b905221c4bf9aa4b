/**
 * Removes secrets from text: passwords in URLs (`rtsp://user:pass@host`) and API keys or
 * tokens in query strings (`appid=`, `apikey=`, `key=`, `token=`, `password=`). A password
 * may hold a raw `@` (cameras accept it): everything up to the last `@` before the path is
 * masked, so a host is sometimes masked too, a password never shown.
 * Used for logs, the printed config, and child-process output.
 */
export function scrubSecrets(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+):[^\s/]*@/gi, '$1:***@')
    .replace(/([?&](?:appid|api_?key|key|token|access_token|password|pass|pwd)=)[^&\s"']+/gi, '$1***');
}

/** A secret value as it may be shown: whether it is set, never what it is. */
export function maskSecret(value: string | undefined | null): string | null {
  if (value === undefined || value === null || value === '') return null;
  return '***';
}
