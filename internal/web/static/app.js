// custreg — progressive enhancement for the server-rendered pages.
//
// Every page works without this file: links open the sidebar and the delete
// dialog as full pages, forms post and come back with their errors. This
// script only makes it smoother:
//   - Add Customer, Edit and Delete open their sidebar or dialog in place
//     (fetched from the same URL the link names) and update the address bar;
//   - the sidebar and dialog are modal: focus stays inside, Escape closes
//     them, focus returns to what opened them;
//   - Cancel asks before throwing away typed input;
//   - after a rejected form, focus goes to the first invalid field;
//   - Delete stays disabled until the customer's code is typed;
//   - "Load more customers" appends the next page;
//   - the side menu collapses to icons.
(function () {
  'use strict';

  var doc = document;
  var current = null;   // the open <dialog>
  var trigger = null;   // the element that opened it
  var pushed = false;   // whether opening added a history entry
  var returnURL = '/customers';
  var listTitle = listPageTitle(doc.title);

  // listPageTitle turns "Add Customer · Org · custreg" into the title of the
  // list under it, "Customers · Org · custreg".
  function listPageTitle(t) {
    var i = t.indexOf(' · ');
    return i < 0 ? t : 'Customers' + t.slice(i);
  }

  function $(sel, root) { return (root || doc).querySelector(sel); }
  function $$(sel, root) { return Array.prototype.slice.call((root || doc).querySelectorAll(sel)); }

  // ---- Live announcements for changes a screen reader would not notice ----
  var live = doc.createElement('div');
  live.className = 'sr-only';
  live.setAttribute('aria-live', 'polite');
  doc.body.appendChild(live);
  function announce(msg) {
    live.textContent = '';
    setTimeout(function () { live.textContent = msg; }, 50);
  }

  // ---- Opening ----

  function isDialogURL(path) {
    return /^\/customers\/(new|[^/]+\/edit|[^/]+\/delete)$/.test(path);
  }

  function openFrom(link) {
    var href = link.href;
    fetch(href, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
      .then(function (res) {
        if (!res.ok || res.redirected) { throw new Error('status ' + res.status); }
        return res.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, 'text/html');
        var found = $('dialog#sidebar, dialog#delete-dialog', page);
        if (!found) { throw new Error('no dialog in response'); }
        var el = doc.importNode(found, true);
        el.classList.remove('no-anim');
        el.removeAttribute('open');
        if (current) { forget(current); }
        ($('main') || doc.body).appendChild(el);
        if (!pushed) {
          returnURL = location.pathname + location.search;
          listTitle = listPageTitle(doc.title);
        }
        history.pushState({ custreg: 'dialog' }, '', href);
        pushed = true;
        doc.title = page.title;
        trigger = link;
        show(el);
      })
      .catch(function () { location.href = href; });
  }

  function show(el) {
    current = el;
    el.showModal();
    wire(el);
    focusInitial(el);
  }

  function focusInitial(el) {
    var target = $('[aria-invalid="true"]', el) ||
      $('#form-alert', el) ||
      $('#confirm-code', el) ||
      $('.sidebar-body input:not([type=hidden]), .sidebar-body select', el);
    if (target) {
      target.focus();
      if (target.select && target.type !== 'checkbox' && target.getAttribute('aria-invalid') !== 'true' && target.id !== 'confirm-code') {
        // Leave the caret where a person expects it: at the end.
        var n = (target.value || '').length;
        try { target.setSelectionRange(n, n); } catch (e) { /* not a text input */ }
      }
    }
  }

  // ---- Closing ----

  function isDirty(el) {
    var form = $('form', el);
    return el.id === 'sidebar' && form && form.dataset.dirty === 'true';
  }

  function requestClose() {
    if (!current) { return; }
    var discard = $('#discard', current);
    if (isDirty(current) && discard) {
      if (!discard.hidden) {
        // Escape again while asked: keep editing.
        keepEditing();
        return;
      }
      discard.hidden = false;
      var keep = $('[data-keep]', discard);
      if (keep) { keep.focus(); }
      return;
    }
    closeNow(true);
  }

  function keepEditing() {
    if (!current) { return; }
    var discard = $('#discard', current);
    if (discard) { discard.hidden = true; }
    var cancel = $('[data-cancel]', current);
    if (cancel) { cancel.focus(); }
  }

  function forget(el) {
    if (el.open) { el.close(); }
    setTimeout(function () { if (el.parentNode) { el.parentNode.removeChild(el); } }, 300);
  }

  function closeNow(updateHistory) {
    var el = current;
    if (!el) { return; }
    current = null;
    el.dataset.closing = 'true';
    forget(el);
    if (updateHistory) {
      if (pushed) {
        pushed = false;
        history.back();
      } else {
        history.replaceState(null, '', returnURL);
      }
    }
    pushed = false;
    doc.title = listTitle;
    restoreFocus(el);
    trigger = null;
  }

  function restoreFocus(el) {
    var target = trigger && doc.contains(trigger) ? trigger : null;
    if (!target) {
      // Opened by the server (a full page load): go back to the card or
      // the button that opens it.
      var m = /^\/customers\/([^/]+)\/(edit|delete)$/.exec(new URL($('form', el).action).pathname);
      var card = m && doc.getElementById('customer-' + m[1]);
      if (card) {
        target = $(m[2] === 'edit' ? 'a[href$="/edit"]' : 'a[href$="/delete"]', card);
      }
    }
    target = target || $('#add-customer') || $('#main');
    if (target) { target.focus(); }
  }

  // ---- Wiring a sidebar or dialog ----

  function wire(el) {
    if (el.dataset.wired) { return; }
    el.dataset.wired = 'true';
    el.addEventListener('cancel', function (e) {
      e.preventDefault();
      requestClose();
    });
    el.addEventListener('close', function () {
      // The browser may close a dialog on its own (a second Escape with no
      // user activation in between); tidy up as if we had.
      if (current === el && !el.open && el.dataset.closing !== 'true') { closeNow(true); }
    });
    el.addEventListener('click', function (e) {
      var t = e.target.closest('[data-close], [data-cancel], [data-discard], [data-keep], [data-focus]');
      if (!t || !el.contains(t)) { return; }
      if (t.matches('[data-close], [data-cancel]')) {
        e.preventDefault();
        requestClose();
      } else if (t.matches('[data-discard]')) {
        e.preventDefault();
        closeNow(true);
      } else if (t.matches('[data-keep]')) {
        e.preventDefault();
        keepEditing();
      } else if (t.matches('[data-focus]')) {
        var field = doc.getElementById(t.getAttribute('data-focus'));
        if (field) {
          e.preventDefault();
          field.focus();
        }
      }
    });

    var form = $('form', el);
    if (!form) { return; }
    var markDirty = function () { form.dataset.dirty = 'true'; };
    form.addEventListener('input', markDirty);
    form.addEventListener('change', markDirty);
    form.addEventListener('submit', function () {
      var btn = $('button[type=submit]', form);
      // Disable after the submit has started, so the click counts but a
      // second one does not post the form twice.
      if (btn) { setTimeout(function () { btn.disabled = true; }, 0); }
    });

    // A country picked for the location suggests the phone's country code.
    var country = $('select[name="location.country"]', form);
    var phoneRegion = $('select[name="phone_region"]', form);
    if (country && phoneRegion) {
      country.addEventListener('change', function () {
        if (phoneRegion.value === '' && $('option[value="' + country.value + '"]', phoneRegion)) {
          phoneRegion.value = country.value;
        }
      });
    }

    // Delete is enabled once the customer's code is typed.
    var confirm = $('#confirm-code', form);
    var del = $('#delete-confirm', form);
    if (confirm && del) {
      var code = (confirm.getAttribute('data-code') || '').trim().toLowerCase();
      var sync = function () {
        del.disabled = confirm.value.trim().toLowerCase() !== code;
      };
      confirm.addEventListener('input', sync);
      sync();
    }
  }

  // ---- Load more ----

  function loadMore(link) {
    link.setAttribute('aria-disabled', 'true');
    fetch(link.href, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
      .then(function (res) {
        if (!res.ok || res.redirected) { throw new Error('status ' + res.status); }
        return res.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, 'text/html');
        var grid = $('#customer-grid');
        var items = $$('#customer-grid > li', page);
        if (!grid) { throw new Error('no grid'); }
        var first = null;
        items.forEach(function (li) {
          var node = doc.importNode(li, true);
          grid.appendChild(node);
          first = first || node;
        });
        var foot = $('#list-foot');
        var next = $('#list-foot a[data-load-more]', page);
        if (foot) {
          foot.innerHTML = '';
          if (next) { foot.appendChild(doc.importNode(next, true)); }
        }
        announce(items.length === 1 ? 'Loaded 1 more customer.' : 'Loaded ' + items.length + ' more customers.');
        if (first) { first.focus(); }
      })
      .catch(function () { location.href = link.href; });
  }

  // ---- Clicks anywhere ----

  doc.addEventListener('click', function (e) {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) { return; }
    var a = e.target.closest('a[data-open]');
    if (a && typeof HTMLDialogElement === 'function') {
      e.preventDefault();
      openFrom(a);
      return;
    }
    var more = e.target.closest('a[data-load-more]');
    if (more) {
      e.preventDefault();
      if (more.getAttribute('aria-disabled') !== 'true') { loadMore(more); }
    }
  });

  // Escape closes the open sidebar or dialog. Handling the key here (and
  // not only the dialog's cancel event) keeps the question about unsaved
  // input in charge of the decision.
  doc.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && current && !e.defaultPrevented) {
      e.preventDefault();
      requestClose();
    }
  });

  window.addEventListener('popstate', function () {
    if (current) {
      pushed = false;
      closeNow(false);
    } else if (isDialogURL(location.pathname)) {
      location.reload();
    }
  });

  // ---- Side menu ----

  var navToggle = $('#nav-toggle');
  if (navToggle) {
    var label = $('.sr-only', navToggle);
    var apply = function (collapsed) {
      doc.body.classList.toggle('nav-collapsed', collapsed);
      navToggle.setAttribute('aria-expanded', String(!collapsed));
      if (label) { label.textContent = collapsed ? 'Expand menu' : 'Collapse menu'; }
    };
    var stored = null;
    try { stored = localStorage.getItem('custreg.nav'); } catch (e) { /* storage off */ }
    apply(stored === 'collapsed');
    navToggle.hidden = false;
    navToggle.addEventListener('click', function () {
      var collapsed = !doc.body.classList.contains('nav-collapsed');
      apply(collapsed);
      try { localStorage.setItem('custreg.nav', collapsed ? 'collapsed' : 'open'); } catch (e) { /* storage off */ }
    });
  }

  // ---- A sidebar or dialog the server rendered open ----

  var open = $('dialog[open]#sidebar, dialog[open]#delete-dialog');
  if (open && typeof open.showModal === 'function') {
    returnURL = open.getAttribute('data-return') || '/customers';
    open.close();
    show(open);
  }
})();
