import { describe, expect, it } from 'vitest';
import { setup } from './store/test-helpers';

describe('createChatStore', () => {
  it('starts connecting, outside any room, with nothing pending', () => {
    const { store } = setup();
    expect(store.getState()).toMatchObject({ connection: 'connecting', room: null, pending: [] });
  });
});
