-- Claims a room for a node: a compare-and-set on the room's record (prism:room:{room:<id>}).
-- KEYS[1] the room's record. ARGV[1] the owner the caller read ('' = no record), ARGV[2] the epoch it read ('0' = no
-- record), ARGV[3] the node to own the room, ARGV[4] now (wall-clock milliseconds).
-- Succeeds only if the record still names what the caller read (so the caller saw it absent, or saw its owner dead);
-- then names the new node and bumps the epoch. Answers {1, node, epoch} when claimed, {0, node, epoch} with the
-- current record when not. Touches only KEYS[1]: safe on Redis Cluster.
local current = redis.call('HMGET', KEYS[1], 'node', 'epoch')
local node = current[1] or ''
local epoch = tonumber(current[2] or '0')
if node ~= ARGV[1] or epoch ~= tonumber(ARGV[2]) then
  return {0, node, epoch}
end
redis.call('HSET', KEYS[1], 'node', ARGV[3], 'since', ARGV[4])
local next = redis.call('HINCRBY', KEYS[1], 'epoch', 1)
return {1, ARGV[3], next}
