// REDIS_URL forms for the shared mode (src/shared/redis-connect.ts): a single Redis, or the
// nodes of a Redis Cluster after `redis+cluster://`.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clusterNodes, isClusterUrl } from '../../src/shared/redis-connect.js';

describe('REDIS_URL', () => {
  it('tells a cluster URL from a single Redis', () => {
    assert.equal(isClusterUrl('redis+cluster://10.0.0.1:7000'), true);
    assert.equal(isClusterUrl('redis://10.0.0.1:6379/0'), false);
    assert.equal(isClusterUrl('rediss://cache.example.org:6380'), false);
  });

  it('lists the nodes of a cluster URL, port 6379 when none is given', () => {
    assert.deepEqual(clusterNodes('redis+cluster://10.0.0.1:7000,10.0.0.2:7001,cache3/'), [
      { host: '10.0.0.1', port: 7000 },
      { host: '10.0.0.2', port: 7001 },
      { host: 'cache3', port: 6379 },
    ]);
  });
});
