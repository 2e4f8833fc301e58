// Opens one Manifest in Mirador, with its thumbnails strip and side panel.
(function () {
  // Mirador 3.4.3 (and 4.0.0) speak IIIF Auth 1.0 only, and before each info.json request they call
  // service.getProfile().match(...) on every service of the image service (state/sagas/iiif.js,
  // getAccessTokenService). The Auth 2.0 services Tessera also lists (AuthProbeService2 and the services inside it)
  // have a `type` and no `profile`, so that call throws, the saga ends and Mirador never asks for the image. Its copy of
  // every manifest and info.json therefore leaves out services without a profile; the Auth 1.0 services stay.
  function hasProfile(service) {
    return typeof service !== 'object' || service === null || !!(service.profile || service['dcterms:conformsTo']);
  }

  function withoutProfilelessServices(node) {
    if (Array.isArray(node)) {
      node.forEach(withoutProfilelessServices);
    } else if (node && typeof node === 'object') {
      Object.keys(node).forEach(function (key) {
        if (key === 'service' && Array.isArray(node[key])) {
          node[key] = node[key].filter(hasProfile);
        } else if (key === 'service' && !hasProfile(node[key])) {
          delete node[key];
          return;
        }
        withoutProfilelessServices(node[key]);
      });
    }
    return node;
  }

  // A postprocessor gets each fetched document as the action Mirador is about to use: a manifest as manifestJson, an
  // info.json (including a 401's body, which carries the login service) as json.
  function forMirador(url, action) {
    if (action && action.manifestJson) withoutProfilelessServices(action.manifestJson);
    if (action && action.json) withoutProfilelessServices(action.json);
    return action;
  }

  // Auth 1.0 authorises the info.json by the access token, the images by the cookie. Mirador asks for the info.json
  // again after it gets a token, but without the token (state/sagas/auth.js refetchInfoResponses passes its stored
  // response, whose services it does not read); it adds the token only when that request is refused. On another origin
  // fetch() sends no cookie, so the request is refused and the flow goes on; here, on the server's own origin, the
  // session cookie would make it succeed unmarked, and Mirador, seeing the same info.json id and no token service,
  // would keep the tiles it was refused before. So Mirador's info.json requests carry no cookie: only the token.
  function tokenNotCookie(url, options) {
    return /\/info\.json$/.test(url) ? Object.assign({}, options, { credentials: 'omit' }) : options;
  }

  var element = document.getElementById('mirador');
  window.tesseraMirador = Mirador.viewer({
    id: 'mirador',
    windows: [{ manifestId: element.getAttribute('data-manifest'), thumbnailNavigationPosition: 'far-bottom' }],
    window: { allowClose: false, sideBarOpen: true, defaultSideBarPanel: 'info' },
    workspaceControlPanel: { enabled: false },
    requests: { preprocessors: [tokenNotCookie], postprocessors: [forMirador] }
  });
})();
