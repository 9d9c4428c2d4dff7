-- Deletes a room's record, only for its owner at its epoch. KEYS[1] the room's record. ARGV[1] the node, ARGV[2] the
-- epoch it holds. Answers 1 when deleted, 0 when the record names another node or epoch (or is gone): left as it is.
local current = redis.call('HMGET', KEYS[1], 'node', 'epoch')
if current[1] == ARGV[1] and current[2] == ARGV[2] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
