// Runs before the page is painted: applies the remembered theme (or ?theme=light|dark) so it never flashes.
(function () {
  var theme = null;
  try { theme = localStorage.getItem('theme'); } catch (e) { /* storage may be unavailable on file:// */ }
  var asked = new URLSearchParams(window.location.search).get('theme');
  if (asked === 'light' || asked === 'dark') { theme = asked; }
  if (theme === 'light' || theme === 'dark') { document.documentElement.setAttribute('data-theme', theme); }
})();
