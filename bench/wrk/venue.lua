-- venue: one GET of a venue's chart or seat status. data: path, kind, etag (optional: sent as If-None-Match)
dofile('common.lua')

function start()
  local headers = {}
  if data.etag then headers['If-None-Match'] = data.etag end
  return send(data.kind, {}, 'GET', data.path, headers)
end
