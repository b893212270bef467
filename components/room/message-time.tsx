const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const dayAndTime = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
});
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });

/**
 * When a message was written: the time of day in the reader's format (the log's day headings
 * give the date; elsewhere `withDate` adds it), the full date and time on hover.
 */
export function MessageTime({ iso, withDate = false }: { iso: string; withDate?: boolean }) {
  const date = new Date(iso);
  return (
    <time className="message-time" dateTime={iso} title={full.format(date)}>
      {(withDate ? dayAndTime : timeOfDay).format(date)}
    </time>
  );
}
