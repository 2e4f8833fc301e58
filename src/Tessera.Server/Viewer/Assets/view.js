// Opens one image in OpenSeadragon, with its IIIF Image API 3.0 info.json as the tile source.
(function () {
  var stage = document.getElementById('viewer');
  window.tesseraViewer = OpenSeadragon({
    element: stage,
    prefixUrl: stage.getAttribute('data-images'),
    tileSources: stage.getAttribute('data-info'),
    showNavigator: true,
    showRotationControl: true,
    maxZoomPixelRatio: 2,
    crossOriginPolicy: 'Anonymous'
  });
})();
