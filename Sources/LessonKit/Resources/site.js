// The site's behaviour: theme toggle, math, highlighting, copy buttons and search. No server needed.
(function () {
  'use strict';
  var root = document.documentElement;

  // Theme: follows prefers-color-scheme until the reader chooses; the choice is remembered.
  var toggle = document.getElementById('theme-toggle');
  function currentTheme() {
    return root.getAttribute('data-theme') ||
      (window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
  }
  function labelToggle() { toggle.textContent = currentTheme() === 'dark' ? 'Light theme' : 'Dark theme'; }
  toggle.addEventListener('click', function () {
    var next = currentTheme() === 'dark' ? 'light' : 'dark';
    root.setAttribute('data-theme', next);
    try { localStorage.setItem('theme', next); } catch (e) { /* not remembered, still applied */ }
    labelToggle();
  });
  labelToggle();

  // On a phone the lesson list starts folded, so the lesson itself comes first.
  var menu = document.getElementById('lesson-menu');
  if (menu && window.matchMedia && window.matchMedia('(max-width: 800px)').matches) { menu.open = false; }

  // Math: KaTeX renders the \( … \) and \[ … \] spans the site builder wrote.
  var main = document.getElementById('main');
  if (window.renderMathInElement) {
    window.renderMathInElement(main, {
      delimiters: [{ left: '\\[', right: '\\]', display: true }, { left: '\\(', right: '\\)', display: false }],
      throwOnError: false
    });
  }

  // Code: Swift highlighting, and a copy button on every block.
  if (window.hljs) {
    // Debian ships highlight.js 9, which logs an end-of-life notice on first use. It only ever sees the
    // course's own snippets, written by its authors, so the notice is acknowledged and silenced.
    window.hljs.configure({ hideUpgradeWarningAcceptNoSupportOrSecurityUpdates: true });
    document.querySelectorAll('pre code.language-swift').forEach(function (block) { window.hljs.highlightBlock(block); });
  }
  document.querySelectorAll('main pre').forEach(function (pre) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'copy';
    button.textContent = 'Copy';
    button.addEventListener('click', function () {
      var content = pre.querySelector('code, samp') || pre;
      if (!navigator.clipboard) { button.textContent = 'Select and copy'; return; }
      navigator.clipboard.writeText(content.innerText).then(function () {
        button.textContent = 'Copied';
        setTimeout(function () { button.textContent = 'Copy'; }, 1500);
      }, function () { button.textContent = 'Select and copy'; });
    });
    pre.appendChild(button);
  });

  // Search: lunr (Debian's libjs-lunr) over every section of every lesson in search-index.js, with stemming
  // and ranking. Every word must match; a result leads to its section, with the matched words marked.
  var sections = window.LESSON_SEARCH_INDEX || [];
  var byId = {};
  sections.forEach(function (section) { byId[section.id] = section; });
  var input = document.getElementById('search-input');
  var results = document.getElementById('search-results');
  var index = null;
  function searchIndex() {
    if (!index && window.lunr) {
      index = window.lunr(function () {
        this.ref('id');
        this.field('section', { boost: 5 });
        this.field('lesson', { boost: 2 });
        this.field('text');
        this.metadataWhitelist = ['position'];
        sections.forEach(function (section) { this.add(section); }, this);
      });
    }
    return index;
  }
  // The excerpt around the first match in the text, with every match inside it marked.
  function excerpt(text, positions) {
    var span = document.createElement('span');
    positions.sort(function (a, b) { return a[0] - b[0]; });
    var start = Math.max(0, (positions.length ? positions[0][0] : 0) - 50);
    var end = Math.min(text.length, start + 160);
    var at = start;
    span.appendChild(document.createTextNode(start > 0 ? '… ' : ''));
    positions.forEach(function (p) {
      if (p[0] < at || p[0] + p[1] > end) { return; }
      span.appendChild(document.createTextNode(text.slice(at, p[0])));
      var mark = document.createElement('mark');
      mark.textContent = text.slice(p[0], p[0] + p[1]);
      span.appendChild(mark);
      at = p[0] + p[1];
    });
    span.appendChild(document.createTextNode(text.slice(at, end) + (end < text.length ? ' …' : '')));
    return span;
  }
  function search(query) {
    while (results.firstChild) { results.removeChild(results.firstChild); }
    var words = window.lunr ? window.lunr.tokenizer(query).filter(function (token) {
      return window.lunr.stopWordFilter(token);
    }) : [];
    if (words.length === 0 || !searchIndex()) { results.hidden = true; return; }
    var found = searchIndex().query(function (q) {
      q.term(words, { presence: window.lunr.Query.presence.REQUIRED });
    });
    found.slice(0, 20).forEach(function (match) {
      var section = byId[match.ref];
      var item = document.createElement('li');
      item.className = 'search-result';
      var link = document.createElement('a');
      link.href = section.id;
      link.textContent = section.lesson + (section.section ? ' › ' + section.section : '');
      item.appendChild(link);
      var positions = [];
      Object.keys(match.matchData.metadata).forEach(function (term) {
        var inText = match.matchData.metadata[term].text;
        if (inText && inText.position) { positions = positions.concat(inText.position); }
      });
      item.appendChild(excerpt(section.text, positions));
      results.appendChild(item);
    });
    if (found.length === 0) {
      var none = document.createElement('li');
      none.className = 'search-none';
      none.textContent = 'No section mentions “' + query + '”.';
      results.appendChild(none);
    }
    results.hidden = false;
  }
  input.addEventListener('input', function () { search(input.value); });
  var asked = new URLSearchParams(window.location.search).get('search');
  if (asked) { input.value = asked; search(asked); }

  // Live reload, only under `lessons serve`, whose assets/live.js sets LESSONS_LIVE_RELOAD: the server
  // bumps livereload.json's generation after each rebuild, and the page reloads where the reader was.
  // A build error is shown over the page, not only in the terminal.
  if (window.LESSONS_LIVE_RELOAD && window.fetch) {
    var scrollKey = 'lessons-scroll:' + location.pathname;
    try {
      var saved = sessionStorage.getItem(scrollKey);
      if (saved !== null) { sessionStorage.removeItem(scrollKey); window.scrollTo(0, Number(saved)); }
    } catch (e) { /* storage off: the page reloads at the top */ }
    var seen = null;
    var showErrors = function (errors) {
      var panel = document.getElementById('build-errors');
      if (!errors.length) { if (panel) { panel.remove(); } return; }
      if (!panel) {
        panel = document.createElement('div');
        panel.id = 'build-errors';
        panel.setAttribute('role', 'alert');
        document.body.insertBefore(panel, document.body.firstChild);
      }
      panel.textContent = '';
      var heading = document.createElement('p');
      heading.textContent = 'The last rebuild failed:';
      var list = document.createElement('pre');
      list.textContent = errors.join('\n');
      panel.appendChild(heading);
      panel.appendChild(list);
    };
    var poll = function () {
      fetch('livereload.json', { cache: 'no-store' }).then(function (response) { return response.json(); }).then(function (state) {
        if (seen !== null && state.generation !== seen) {
          try { sessionStorage.setItem(scrollKey, String(window.scrollY)); } catch (e) { /* reloads at the top */ }
          location.reload();
          return;
        }
        seen = state.generation;
        showErrors(state.errors || []);
        setTimeout(poll, 250);
      }).catch(function () { setTimeout(poll, 1000); });
    };
    poll();
  }
})();
