/** The livechat logo: two speech bubbles. Decorative; the name next to it says what it is. */
export function BrandMark() {
  return (
    <svg className="brand-mark" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
      <rect x="2" y="4" width="20" height="15" rx="5" fill="currentColor" />
      <path d="M7 19v5l5-5z" fill="currentColor" />
      <rect x="12" y="12" width="18" height="13" rx="5" fill="var(--accent-soft)" />
      <path d="M25 25v4l-4-4z" fill="var(--accent-soft)" />
    </svg>
  );
}
