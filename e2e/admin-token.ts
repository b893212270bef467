/** The admin token the end-to-end server runs with, so tests can post announcements. */
export const E2E_ADMIN_TOKEN = 'e2e-admin-token-0123456789';
