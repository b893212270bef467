import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Avatar } from './avatar';

const hueIn = (markup: string) => /--avatar-hue:(\d+)/.exec(markup)?.[1];

describe('Avatar', () => {
  it('keeps its colour when the member is renamed, and shows the new initial', () => {
    const before = renderToStaticMarkup(<Avatar nickname="Alice" hueKey="k-alice" />);
    const after = renderToStaticMarkup(<Avatar nickname="Zed" hueKey="k-alice" />);
    expect(hueIn(before)).toBeDefined();
    expect(hueIn(after)).toBe(hueIn(before));
    expect(after).toContain('>Z</span>');
  });

  it('colours two people with the same nickname by their keys, not the name', () => {
    const hues = ['k-1', 'k-2', 'k-3'].map((key) =>
      hueIn(renderToStaticMarkup(<Avatar nickname="Sam" hueKey={key} />)),
    );
    expect(new Set(hues).size).toBeGreaterThan(1);
  });
});
