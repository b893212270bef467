import { MemoryStore } from './memory-store';
import { describeStoreContract } from './store-contract';

describeStoreContract(
  'memory',
  async () => ({ open: async () => new MemoryStore(), destroy: async () => {} }),
  {
    durable: false,
  },
);
