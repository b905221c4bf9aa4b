import { InputError } from '../errors.js';
import { maskUrlPassword, rememberSecret } from '../config/redact.js';

/** A broker address taken apart: mqtt.js gets the credentials as options, never in the URL. */
export interface BrokerAddress {
  /** scheme://host:port[/path], without user or password. */
  url: string;
  username?: string;
  password?: string;
  /** The setting as it may be shown in logs and status: its password as `***`. */
  shown: string;
}

const SCHEMES = ['mqtt:', 'mqtts:', 'tcp:', 'ssl:', 'ws:', 'wss:'];

/**
 * Parses the `mqtt.url` setting (`mqtt://user:password@host:1883`). The password runs from
 * the first `:` after the user to the last `@`, so it may hold `@` or `/`; percent-escapes
 * in the user and password are decoded. The password is remembered as a secret, so it is
 * scrubbed from any text the logger writes. Throws an InputError naming the setting (with
 * the password masked) when the URL cannot be used.
 */
export function parseBrokerUrl(setting: string): BrokerAddress {
  const shown = maskUrlPassword(setting);
  const fail = (what: string): never => {
    throw new InputError(`mqtt.url: ${what} (got ${JSON.stringify(shown)})`);
  };

  const schemeEnd = setting.indexOf('://');
  if (schemeEnd < 0) fail('expected scheme://host:port, e.g. mqtt://broker.local:1883');
  const at = setting.lastIndexOf('@');
  const hasUser = at > schemeEnd;
  const userInfo = hasUser ? setting.slice(schemeEnd + 3, at) : '';
  const bare = hasUser ? setting.slice(0, schemeEnd + 3) + setting.slice(at + 1) : setting;

  let parsed: URL;
  try {
    parsed = new URL(bare);
  } catch {
    return fail('not a URL');
  }
  if (!SCHEMES.includes(parsed.protocol)) fail(`scheme must be one of ${SCHEMES.join(' ')}`);
  if (parsed.hostname === '') fail('no host');

  const colon = userInfo.indexOf(':');
  const username = decodePercent(colon < 0 ? userInfo : userInfo.slice(0, colon));
  const writtenPassword = colon < 0 ? undefined : userInfo.slice(colon + 1);
  const password = writtenPassword === undefined ? undefined : decodePercent(writtenPassword);
  rememberSecret(writtenPassword);
  rememberSecret(password);

  return {
    url: bare,
    ...(username ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    shown,
  };
}

/** Percent-decodes, or returns the text as written when it is not valid percent-encoding. */
function decodePercent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
