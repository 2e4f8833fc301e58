// Opens one image in OpenSeadragon, with its IIIF Image API 3.0 info.json as the tile source, and runs the client side
// of the IIIF Authorization Flow 2.0 (https://iiif.io/api/auth/2.0/) when the info.json lists a probe service: probe,
// show the access service's text with a button (a window may open only on a user gesture), open the access service,
// get a token from the token service in a hidden frame (postMessage, checked against messageId and origin), probe again
// with it, then load info.json and tiles with "Authorization: Bearer". The token is kept in memory only.
(function () {
  'use strict';
  var stage = document.getElementById('viewer');
  var panel = document.getElementById('auth');
  var logoutButton = document.getElementById('logout');
  var infoUrl = stage.getAttribute('data-info');
  var state = { token: null, status: 'loading', messageId: 0, services: null, error: null };
  var pending = null; // the token request waiting for its message: { id, origin, resolve, frame, timer }

  function first(list, type) {
    var items = Array.isArray(list) ? list : list ? [list] : [];
    for (var i = 0; i < items.length; i++) {
      if (items[i] && (items[i].type === type || items[i]['@type'] === type)) { return items[i]; }
    }
    return null;
  }

  // A language map ({"en": ["..."]}) or a plain string as text: the user's language, else English, else any.
  function text(value) {
    if (!value) { return ''; }
    if (typeof value === 'string') { return value; }
    var lang = (navigator.language || 'en').split('-')[0];
    var values = value[navigator.language] || value[lang] || value.en || value.none || value[Object.keys(value)[0]];
    return Array.isArray(values) ? values.join(' ') : String(values || '');
  }

  function headers() {
    return state.token ? { Authorization: 'Bearer ' + state.token } : {};
  }

  // Cookies are not sent: what the viewer sees is what its token grants, as for a viewer on another site.
  function getJson(url) {
    return fetch(url, { headers: headers(), credentials: 'omit', cache: 'no-store' }).then(function (response) {
      return response.json().then(function (body) { return { status: response.status, body: body }; }, function () {
        return { status: response.status, body: null };
      });
    });
  }

  function infoOf(resource) {
    var id = resource.id || resource['@id'];
    return /\/info\.json$/.test(id) ? id : id.replace(/\/$/, '') + '/info.json';
  }

  // OpenSeadragon takes the largest scale factor's level count and assumes the last level is the full resolution, and
  // tiles a level 1-2 image itself. The public's view of a degraded image offers only coarse scale factors and limits
  // (maxWidth...), so that view is opened as whole-image sizes (OpenSeadragon's pyramid for level 0), the largest being
  // the most the limits allow: nothing is asked for that the server would refuse.
  function forOpenSeadragon(info) {
    var factors = [];
    (info.tiles || []).forEach(function (tile) { factors = factors.concat(tile.scaleFactors || []); });
    if (factors.length === 0 || Math.min.apply(null, factors) <= 1 || !info.sizes || info.sizes.length === 0) { return info; }
    var copy = Object.assign({}, info, { profile: 'level0', sizes: info.sizes.slice() });
    delete copy.tiles;
    delete copy.extraFeatures;
    var scale = Math.min(1,
      info.maxWidth ? info.maxWidth / info.width : 1,
      info.maxHeight ? info.maxHeight / info.height : 1,
      info.maxArea ? Math.sqrt(info.maxArea / (info.width * info.height)) : 1);
    var largest = { width: Math.floor(info.width * scale), height: Math.floor(info.height * scale) };
    var widest = Math.max.apply(null, copy.sizes.map(function (size) { return size.width; }));
    if (largest.width > widest && largest.height > 0) { copy.sizes.push(largest); }
    return copy;
  }

  function show(info) {
    info = forOpenSeadragon(info);
    if (window.tesseraViewer) { window.tesseraViewer.destroy(); }
    stage.innerHTML = '';
    window.tesseraViewer = OpenSeadragon({
      element: stage,
      prefixUrl: stage.getAttribute('data-images'),
      tileSources: info,
      showNavigator: true,
      showRotationControl: true,
      maxZoomPixelRatio: 2,
      crossOriginPolicy: 'Anonymous',
      loadTilesWithAjax: true,
      ajaxHeaders: headers()
    });
  }

  function hide() {
    if (window.tesseraViewer) { window.tesseraViewer.destroy(); window.tesseraViewer = null; }
    stage.innerHTML = '';
  }

  function setPanel(heading, note, button, error) {
    panel.innerHTML = '';
    if (!heading && !note && !button && !error) { panel.hidden = true; return; }
    if (heading) { var h = document.createElement('h2'); h.textContent = heading; panel.appendChild(h); }
    if (note) { var p = document.createElement('p'); p.textContent = note; panel.appendChild(p); }
    if (error) { var e = document.createElement('p'); e.className = 'error'; e.id = 'auth-error'; e.textContent = error; panel.appendChild(e); }
    if (button) {
      var b = document.createElement('button');
      b.type = 'button';
      b.id = 'login';
      b.textContent = button.label;
      b.addEventListener('click', button.action);
      panel.appendChild(b);
    }
    panel.hidden = false;
  }

  // Loads (or reloads) the image: info.json, and when it lists a probe service, the probe with the token held.
  function load() {
    state.status = 'loading';
    return getJson(infoUrl).then(function (info) {
      var probe = info.body ? first(info.body.service, 'AuthProbeService2') : null;
      if (!probe) {
        if (info.status !== 200 || !info.body) { throw new Error('info.json answered ' + info.status); }
        state.services = null;
        logoutButton.hidden = true;
        setPanel();
        show(info.body);
        state.status = 'open';
        return null;
      }

      var access = first(probe.service, 'AuthAccessService2');
      state.services = {
        probe: probe,
        access: access,
        token: access ? first(access.service, 'AuthAccessTokenService2') : null,
        logout: access ? first(access.service, 'AuthLogoutService2') : null
      };
      return getJson(probe.id).then(function (result) { return probed(info, result.body || {}); });
    }).catch(function (error) {
      hide();
      state.status = 'failed';
      setPanel('The image could not be opened', String(error && error.message || error));
    });
  }

  function probed(info, result) {
    var services = state.services;
    logoutButton.hidden = !(state.token && services.logout);
    if (services.logout) { logoutButton.textContent = text(services.logout.label) || 'Log out'; }
    if (result.status === 200) {
      setPanel();
      state.status = 'open';
      if (result.location) { return getJson(infoOf(result.location)).then(function (r) { show(r.body); }); }
      if (info.status === 200) { show(info.body); return null; }
      return getJson(infoUrl).then(function (r) { show(r.body); });
    }

    if (state.token) {
      // The token expired or was revoked: forget it; the user logs in again (the session may let the token service answer at once).
      state.token = null;
      logoutButton.hidden = true;
    }

    var access = services.access;
    var heading = text(result.heading) || text(access && access.heading) || text(services.probe.errorHeading);
    var note = text(result.note) || text(access && access.note) || text(services.probe.errorNote);
    var button = access && services.token && access.profile !== 'external'
      ? { label: text(access.confirmLabel) || text(access.label) || 'Log in', action: login }
      : null;
    if (access && services.token && access.profile === 'external') {
      // §3.1.3: no window to open; the token service answers if the user already has the credentials.
      button = { label: text(access.label) || 'Try again', action: function () { token(); } };
    }

    // Degraded (§2.2.1): the probe names what may be shown instead; show it at once, with the button for the full image.
    var degraded = result.location || (Array.isArray(result.substitute) ? result.substitute[0] : result.substitute);
    if (degraded) {
      state.status = 'degraded';
      setPanel(heading, note, button);
      return getJson(infoOf(degraded)).then(function (r) {
        if (r.status === 200 && r.body) { show(r.body); } else { hide(); }
      });
    }

    hide();
    state.status = 'denied';
    setPanel(heading, note, button);
    return null;
  }

  // The access service, in a window opened by the click (§3.3): with ?origin= for the active and kiosk profiles; when
  // the window closes (the service closes it after the login), the token service.
  function login() {
    var access = state.services.access;
    var url = access.id + (access.id.indexOf('?') < 0 ? '?' : '&') + 'origin=' + encodeURIComponent(window.location.origin);
    var opened = window.open(url, 'tessera-access', 'width=640,height=720');
    if (!opened) {
      setPanel(text(access.heading), text(access.note), { label: text(access.confirmLabel) || 'Log in', action: login }, 'The browser blocked the login window; allow pop-ups for this site.');
      return;
    }

    state.status = 'access';
    var timer = setInterval(function () {
      if (opened.closed) {
        clearInterval(timer);
        token();
      }
    }, 200);
  }

  // §4.3: the token service in a hidden iframe, answered by a postMessage checked for its messageId and its origin.
  function token() {
    var service = state.services.token;
    if (pending) { cancel(); }
    state.messageId += 1;
    var id = 'tessera-' + state.messageId;
    var frame = document.createElement('iframe');
    frame.hidden = true;
    frame.title = 'IIIF access token';
    frame.src = service.id + (service.id.indexOf('?') < 0 ? '?' : '&') + 'messageId=' + encodeURIComponent(id) + '&origin=' + encodeURIComponent(window.location.origin);
    pending = { id: id, origin: new URL(service.id, window.location.href).origin, frame: frame };
    pending.timer = setTimeout(function () { received(null, 'The access token service did not answer.'); }, 20000);
    state.status = 'token';
    document.body.appendChild(frame);
  }

  function cancel() {
    clearTimeout(pending.timer);
    pending.frame.remove();
    pending = null;
  }

  window.addEventListener('message', function (event) {
    var data = event.data;
    // Only the token service's own origin may answer, and only the request we made (§4.3, "messageId").
    if (!pending || event.origin !== pending.origin || !data || typeof data !== 'object' || String(data.messageId) !== pending.id) { return; }
    if (data.type === 'AuthAccessToken2' && typeof data.accessToken === 'string') {
      received(data.accessToken, null);
    } else if (data.type === 'AuthAccessTokenError2') {
      received(null, (data.profile || 'error') + ': ' + (text(data.heading) ? text(data.heading) + '. ' : '') + text(data.note));
    }
  });

  function received(accessToken, error) {
    if (pending) { cancel(); }
    state.error = error;
    if (accessToken) {
      state.token = accessToken;
      load();
      return;
    }

    var services = state.services;
    var access = services.access;
    setPanel(
      text(services.token.errorHeading) || 'No access token',
      text(services.token.errorNote),
      { label: text(access.confirmLabel) || text(access.label) || 'Log in', action: login },
      error);
    state.status = state.status === 'degraded' ? 'degraded' : 'denied';
  }

  // §6: the logout service in a window (it ends the session and revokes the tokens); the token is forgotten and the
  // image loaded again, so what shows is what the public sees.
  logoutButton.addEventListener('click', function () {
    var service = state.services && state.services.logout;
    state.token = null;
    logoutButton.hidden = true;
    if (!service) { load(); return; }
    var opened = window.open(service.id, 'tessera-logout', 'width=480,height=320');
    if (!opened) { load(); return; }
    state.status = 'logout';
    var timer = setInterval(function () {
      if (opened.closed) {
        clearInterval(timer);
        load();
      }
    }, 200);
  });

  // For tests and embedding pages: where the flow is, never the token itself.
  window.tesseraAuth = {
    status: function () { return state.status; },
    hasToken: function () { return !!state.token; },
    messageId: function () { return pending ? pending.id : null; },
    error: function () { return state.error; }
  };

  load();
})();
