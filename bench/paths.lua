-- wrk script: cycles through the paths in $URLS (each prefixed with $PREFIX), each thread from its own offset.
local prefix = os.getenv("PREFIX") or ""
local paths = {}
for line in io.lines(os.getenv("URLS")) do
  if #line > 0 then paths[#paths + 1] = prefix .. line end
end

local threads = 0
function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  i = (id or 0) * math.floor(#paths / 4)
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
