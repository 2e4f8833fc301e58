// Filters the cards of the home page as the user types: every word must appear in the card's name.
(function () {
  var input = document.getElementById('search');
  var cards = Array.prototype.slice.call(document.querySelectorAll('.card'));
  var counter = document.getElementById('count');
  function filter() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    cards.forEach(function (card) {
      var name = card.getAttribute('data-name');
      var match = words.every(function (w) { return name.indexOf(w) >= 0; });
      card.hidden = !match;
      if (match) shown++;
    });
    counter.textContent = shown + ' of ' + cards.length;
  }
  input.addEventListener('input', filter);
  var query = new URLSearchParams(location.search).get('q');
  if (query) input.value = query;
  filter();
})();
