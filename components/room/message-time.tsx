const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayAndTime = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });

/** When a message was written: the time of day, with the date if it was not today. */
export function MessageTime({ iso }: { iso: string }) {
  const date = new Date(iso);
  const today = new Date().toDateString() === date.toDateString();
  return (
    <time className="message-time" dateTime={iso} title={full.format(date)}>
      {(today ? timeOfDay : dayAndTime).format(date)}
    </time>
  );
}
