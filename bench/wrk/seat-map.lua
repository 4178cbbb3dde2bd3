-- seat-map: the seat map of one event. data: event
dofile('common.lua')

function start()
  return send('map', {}, 'GET', '/v1/events/' .. data.event .. '/seats')
end
