-- seat-map: the seat map of one event. data: path (/v1/events/<id>/seats, or the bare floor's /events/<id>/seats)
dofile('common.lua')

function start()
  return send('map', {}, 'GET', data.path)
end
