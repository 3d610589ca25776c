/**
 * What the CLI sends as `client_name` when it starts a device flow: `<device name> · <platform>`, e.g.
 * `godmode on devbox · Linux 6.8 (x64)`. The migration has one free-text column for it, so the page splits it
 * back at the last ` · `. It is whatever the requesting program claims — shown to the user as text, never
 * trusted: anyone can start a flow with any name.
 */
export const CLIENT_NAME_SEPARATOR = ' · ';

export interface DeviceLabel {
  name: string;
  platform: string | null;
}

export function parseClientName(clientName: string | null): DeviceLabel {
  const text = (clientName ?? '').trim();
  if (!text) return { name: 'an unnamed device', platform: null };
  const at = text.lastIndexOf(CLIENT_NAME_SEPARATOR);
  if (at <= 0) return { name: text, platform: null };
  return { name: text.slice(0, at), platform: text.slice(at + CLIENT_NAME_SEPARATOR.length) || null };
}
