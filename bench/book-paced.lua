-- wrk script: bench/book.lua (each request books a new slot), paced by DELAY_MS per connection,
-- printing the TAIL line of bench/tail-latency.lua.
dofile("bench/book.lua")
dofile("bench/tail-latency.lua")
