import { MemoryStore } from './memory-store';
import { describeStoreContract } from './store-contract';

describeStoreContract('memory', async () => {
  // One instance plays the "same data" a reopen would find.
  const store = new MemoryStore();
  const close = store.close.bind(store);
  store.close = async () => close();
  return { open: async () => store, destroy: async () => {} };
});
