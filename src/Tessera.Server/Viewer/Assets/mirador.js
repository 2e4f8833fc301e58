// Opens one Manifest in Mirador, with its thumbnails strip and side panel.
(function () {
  var element = document.getElementById('mirador');
  window.tesseraMirador = Mirador.viewer({
    id: 'mirador',
    windows: [{ manifestId: element.getAttribute('data-manifest'), thumbnailNavigationPosition: 'far-bottom' }],
    window: { allowClose: false, sideBarOpen: true, defaultSideBarPanel: 'info' },
    workspaceControlPanel: { enabled: false }
  });
})();
