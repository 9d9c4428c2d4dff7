-- Fencing check of one room a node holds. KEYS[1] the room's record. ARGV[1] the node, ARGV[2] the epoch it holds the
-- room at, ARGV[3] now (wall-clock milliseconds).
-- Answers 1 when the record names this node at this epoch (keep the room), 0 when it names another node or another
-- epoch (close the local copy: the room moved), 2 when there was no record and this node wrote it back at its epoch
-- (Redis lost its data, or the room's record was deleted: one record again, naming the node that still runs it).
local current = redis.call('HMGET', KEYS[1], 'node', 'epoch')
if not current[1] then
  redis.call('HSET', KEYS[1], 'node', ARGV[1], 'epoch', ARGV[2], 'since', ARGV[3])
  return 2
end
if current[1] == ARGV[1] and current[2] == ARGV[2] then
  return 1
end
return 0
