const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });

/**
 * When a message was written: the time of day in the reader's format (the log's day headings
 * give the date), the full date and time on hover.
 */
export function MessageTime({ iso }: { iso: string }) {
  const date = new Date(iso);
  return (
    <time className="message-time" dateTime={iso} title={full.format(date)}>
      {timeOfDay.format(date)}
    </time>
  );
}
