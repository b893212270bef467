/** What the page shows about its link to the server. */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'refused';

/** Words for each state, shown next to the indicator. */
export const CONNECTION_LABELS: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  refused: 'Too many connections from your network: trying again soon…',
};
