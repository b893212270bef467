/** What the page shows about its link to the server. */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline';

/** Words for each state, shown next to the indicator. */
export const CONNECTION_LABELS: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};
