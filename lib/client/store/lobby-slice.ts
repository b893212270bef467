import type { LobbyRoom, LobbyStats } from '../../protocol/definitions';
import type { ChatSlice } from './chat-slice';

/** An operator's message to everyone on the server. */
export interface Announcement {
  text: string;
  createdAt: string;
}

/** The public lobby as the landing page shows it; null fields until the server has said. */
export interface LobbyView {
  rooms: LobbyRoom[] | null;
  stats: LobbyStats | null;
}

/** What the whole server tells everyone: the public lobby and operator announcements. */
export interface LobbyState {
  /** The latest operator announcement, until the reader dismisses it. */
  announcement: Announcement | null;
  lobby: LobbyView;
}

/** Pushes from the lobby feed and the announcement channel. */
export interface LobbyActions {
  announced(announcement: Announcement): void;
  dismissAnnouncement(): void;
  lobbyRoomsUpdated(rooms: LobbyRoom[]): void;
  lobbyStatsUpdated(stats: LobbyStats): void;
}

export type LobbySlice = LobbyState & LobbyActions;

/** The lobby and announcements before the server has said anything. */
export const initialLobbyState: LobbyState = {
  announcement: null,
  lobby: { rooms: null, stats: null },
};

/** The lobby slice: kept as the server pushes it, nothing to ask for. */
export const createLobbySlice: ChatSlice<LobbySlice> = () => (set) => ({
  ...initialLobbyState,

  announced: (announcement) => set({ announcement }),

  dismissAnnouncement: () => set({ announcement: null }),

  lobbyRoomsUpdated: (rooms) => set((state) => ({ lobby: { ...state.lobby, rooms } })),

  lobbyStatsUpdated: (stats) => set((state) => ({ lobby: { ...state.lobby, stats } })),
});
