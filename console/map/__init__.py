"""The incident map: an offline Leaflet page rendered once, updated with batched deltas.

Import from the modules: `console.map.bridge` (MapView, MapBridge), `console.map.page`
(build_page) and `console.map.ops` (the op schema, Qt-free).
"""
