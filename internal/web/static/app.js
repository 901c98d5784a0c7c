// custreg — progressive enhancement for the server-rendered pages.
//
// Every page works without this file: links open the sidebar and the delete
// dialog as full pages, forms post and come back with their errors, the
// wizard's buttons are server round trips that carry everything typed, and
// the search and filter panel are a GET form. This script only makes it
// smoother:
//   - Add Customer, Edit and Delete open their sidebar or dialog in place
//     (fetched from the same URL the link names) and update the address bar;
//   - the sidebar and dialog are modal: focus stays inside, Escape closes
//     them, focus returns to what opened them;
//   - Cancel asks before throwing away typed input;
//   - after a rejected form, focus goes to the first invalid field;
//   - the wizard's Next and Back switch steps in the page, whatever the
//     number of steps; Next from Customer Details or Settings asks the
//     server to check the step first (uniqueness included) and marks it
//     done in the indicator;
//   - the license sidebar opens in place like the customer sidebar; the entity buttons send the form and swap in
//     the Entity Details panel the server answers with; deleting a stored
//     entity asks first, in its row;
//   - Delete stays disabled until the customer's code is typed;
//   - the search box updates the cards as one types; the filter panel adds
//     and removes rows and takes "in" values as chips; chips and sort
//     update the cards in place; the address bar always holds the query;
//   - "Load more customers" appends the next page;
//   - on the Users and Assets pages, choosing a customer refreshes the
//     entity picker that follows it (without the script, "Show its
//     entities" is a round trip), the filter applies on change, and one
//     checkbox checks every row for the move bar;
//   - on the wizard's Settings step a logo chosen or dropped is sent at
//     once and its preview shown (without the script it goes with the
//     next button pressed);
//   - the side menu collapses to icons.
(function () {
  'use strict';

  var doc = document;
  doc.documentElement.classList.add('js');
  var current = null;   // the open <dialog>
  var trigger = null;   // the element that opened it
  var pushed = false;   // whether opening added a history entry
  var returnURL = location.pathname + location.search;
  var listTitle = listPageTitle(doc.title);
  var entitiesChanged = false; // an edit changed entities: the cards' counts are stale

  // listPageTitle turns "Add Customer · Org · custreg" into the title of the
  // list under it, "Customers · Org · custreg".
  function listPageTitle(t) {
    var i = t.indexOf(' · ');
    var main = doc.getElementById('main');
    var list = (main && main.getAttribute('data-list')) || 'Customers';
    return i < 0 ? t : list + t.slice(i);
  }

  function $(sel, root) { return (root || doc).querySelector(sel); }
  function $$(sel, root) { return Array.prototype.slice.call((root || doc).querySelectorAll(sel)); }

  // ---- Live announcements for changes a screen reader would not notice ----
  var live = doc.createElement('div');
  live.className = 'sr-only';
  live.setAttribute('aria-live', 'polite');
  doc.body.appendChild(live);
  function announce(msg) {
    if (!msg) { return; }
    live.textContent = '';
    setTimeout(function () { live.textContent = msg; }, 50);
  }

  function fetchHTML(url, init) {
    init = init || {};
    init.credentials = 'same-origin';
    init.headers = init.headers || {};
    init.headers.Accept = 'text/html';
    return fetch(url, init).then(function (res) {
      // A redirect means the session ended (sign-in page) or the request
      // was done in full: the caller falls back to a page load.
      if (res.redirected) { throw new Error('redirected to ' + res.url); }
      return res.text().then(function (html) {
        return { res: res, page: new DOMParser().parseFromString(html, 'text/html') };
      });
    });
  }

  // ---- Opening ----

  function isDialogURL(path) {
    return /^\/(customers|users|assets)\/(new|[^/]+\/edit|[^/]+\/delete)$/.test(path) ||
      /^\/customers\/[^/]+\/licenses$/.test(path);
  }

  function openFrom(link) {
    var href = link.href;
    fetchHTML(href)
      .then(function (r) {
        if (!r.res.ok) { throw new Error('status ' + r.res.status); }
        var found = $('dialog#sidebar, dialog#delete-dialog, dialog#license-sidebar', r.page);
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
        doc.title = r.page.title;
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

  // currentPanel returns the wizard step shown, or el itself.
  function currentPanel(el) {
    var step = $('#wizard-step', el);
    return (step && $('.step-panel[data-step="' + step.value + '"]', el)) || el;
  }

  function focusInitial(el) {
    var panel = currentPanel(el);
    var entityPanel = panel.id === 'step-entities' ? $('#entity-panel', panel) : null;
    var target = $('[aria-invalid="true"]', panel) ||
      $('#form-alert', el) ||
      (entityPanel && entityPanel.dataset.focus && doc.getElementById(entityPanel.dataset.focus)) ||
      $('#entity-alert', panel) ||
      $('#confirm-code', el) ||
      $('input:not([type=hidden]), select', entityPanel ? $('#entity-editor', entityPanel) : panel) ||
      $('[data-close]', el);
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
    if (entitiesChanged) {
      // The cards behind show entity counts from before the edit.
      entitiesChanged = false;
      loadResults(returnURL, { keepURL: true, quiet: true });
    }
  }

  function restoreFocus(el) {
    var target = trigger && doc.contains(trigger) ? trigger : null;
    if (!target) {
      // Opened by the server (a full page load): go back to the card or
      // the button that opens it.
      var form = $('form', el);
      var path = el.getAttribute('data-path') || (form ? new URL(form.action).pathname : '');
      var m = /^\/customers\/([^/]+)\/(edit|delete|licenses)$/.exec(path);
      var card = m && doc.getElementById('customer-' + m[1]);
      if (card) {
        target = $('a[href$="/' + m[2] + '"]', card);
      } else if (m && m[2] === 'licenses') {
        target = $('#customer-licenses');
      }
    }
    target = target || $('#add-customer, [data-add]') || $('#main');
    if (target) { target.focus(); }
  }

  // ---- The wizard's steps ----

  function labelText(input) {
    var label = input.id && $('label[for="' + input.id + '"]');
    return label ? label.textContent.replace('*', '').trim() : 'This field';
  }

  // setClientError shows a message beside input, as the server does; a
  // message the server gave is left alone.
  function setClientError(input, msg) {
    if (input.getAttribute('aria-invalid') === 'true') { return; }
    var field = input.closest('.field');
    var p = doc.createElement('p');
    p.className = 'field-error';
    p.id = input.id + '-error';
    p.dataset.client = 'true';
    p.innerHTML = '<svg class="icon" aria-hidden="true"><use href="#i-alert"/></svg><span></span>';
    p.lastChild.textContent = msg;
    field.appendChild(p);
    field.classList.add('has-error');
    input.setAttribute('aria-invalid', 'true');
    var by = input.getAttribute('aria-describedby');
    input.setAttribute('aria-describedby', p.id + (by ? ' ' + by : ''));
  }

  function clearClientError(input) {
    var p = input.id && doc.getElementById(input.id + '-error');
    if (!p || p.dataset.client !== 'true') { return; }
    p.parentNode.classList.remove('has-error');
    p.parentNode.removeChild(p);
    input.removeAttribute('aria-invalid');
    var by = (input.getAttribute('aria-describedby') || '').split(' ').filter(function (id) { return id && id !== p.id; });
    if (by.length) { input.setAttribute('aria-describedby', by.join(' ')); } else { input.removeAttribute('aria-describedby'); }
  }

  // checkRequired is Next's convenience check; the server checks all on
  // Submit.
  function checkRequired(form) {
    var first = null;
    $$('#step-details [required]', form).forEach(function (input) {
      clearClientError(input);
      if (input.value.trim() === '') {
        setClientError(input, labelText(input) + ' is required.');
        first = first || input;
      }
    });
    if (first) {
      first.focus();
      announce('Fill in the required fields before you go on.');
      return false;
    }
    return true;
  }

  // checkStep asks the server whether the step being left passes (as
  // Submit will check it: formats, the name and code against the other
  // customers, the pin code against the country, the admin role); it goes
  // on when it does, and shows each message beside its field when not. If
  // the server cannot be asked, it goes on: Submit checks everything again.
  var checkBusy = false;
  function checkStep(form, from, target) {
    if (checkBusy) { return; }
    checkBusy = true;
    var body = new URLSearchParams(new FormData(form));
    body.set('op', 'step:' + target);
    body.delete('full_logo'); // logos were sent as they were chosen
    body.delete('logomark');
    fetch(form.action, { method: 'POST', body: body, credentials: 'same-origin', headers: { 'X-Custreg-Check': '1', Accept: 'application/json' } })
      .then(function (res) { return res.json(); })
      .then(function (a) {
        checkBusy = false;
        $$('[data-check-error]', form).forEach(function (p) { clearCheckError(p); });
        if (a.ok) {
          markDone(form, from);
          goStep(form, target, { force: true });
          return;
        }
        if (a.step && a.step !== $('#wizard-step', form).value) { goStep(form, a.step, { force: true, noFocus: true }); }
        var first = null;
        (a.errors || []).forEach(function (er) {
          var el = er.id && doc.getElementById(er.id);
          if (el) {
            setCheckError(el, er.message);
            first = first || el;
          }
        });
        if (first) {
          (first.matches('fieldset') ? $('input', first) : first).focus();
        }
        announce((a.errors || []).map(function (er) { return (er.label ? er.label + ': ' : '') + er.message; }).join(' '));
      })
      .catch(function () {
        checkBusy = false;
        goStep(form, target);
      });
  }

  // setCheckError shows the server's message for el (an input, or a group
  // of checkboxes), replacing what it showed before.
  function setCheckError(el, msg) {
    var old = doc.getElementById(el.id + '-error');
    if (old) { old.parentNode.removeChild(old); }
    var box = el.matches('fieldset') ? el : el.closest('.field');
    var p = doc.createElement('p');
    p.className = 'field-error';
    p.id = el.id + '-error';
    p.dataset.client = 'true';
    p.dataset.checkError = el.id;
    p.innerHTML = '<svg class="icon" aria-hidden="true"><use href="#i-alert"/></svg><span></span>';
    p.lastChild.textContent = msg;
    box.appendChild(p);
    box.classList.add('has-error');
    el.setAttribute('aria-invalid', 'true');
    var by = (el.getAttribute('aria-describedby') || '').split(' ').filter(function (id) { return id && id !== p.id; });
    el.setAttribute('aria-describedby', [p.id].concat(by).join(' '));
  }

  function clearCheckError(p) {
    var el = doc.getElementById(p.dataset.checkError);
    if (el) { clearClientError(el); }
    if (p.parentNode) {
      p.parentNode.classList.remove('has-error');
      p.parentNode.removeChild(p);
    }
  }

  // markDone marks a step passed in the step indicator.
  function markDone(form, key) {
    if (form.dataset.mode === 'edit') { return; }
    var li = $('[data-step-item="' + key + '"]', form);
    if (li) { li.classList.add('done'); }
  }

  // stepKeys lists the wizard's steps in order.
  function stepKeys(form) {
    return $$('[data-step-item]', form).map(function (li) { return li.getAttribute('data-step-item'); });
  }

  // goStep shows step key. Leaving Customer Details checks its required
  // fields unless opts.force; opts.noFocus leaves focus to the caller.
  // Back and Next then name the steps before and after it.
  function goStep(form, key, opts) {
    opts = opts || {};
    var stepInput = $('#wizard-step', form);
    var panel = $('.step-panel[data-step="' + key + '"]', form);
    if (!stepInput || !panel) { return; }
    if (stepInput.value === key) { return; }
    if (!opts.force && stepInput.value === 'details' && !checkRequired(form)) { return; }
    stepInput.value = key;
    $$('.step-panel', form).forEach(function (p) { p.hidden = p !== panel; });
    var label = '';
    $$('[data-step-item]', form).forEach(function (li, i) {
      var on = li.getAttribute('data-step-item') === key;
      var btn = $('button', li);
      li.classList.toggle('current', on);
      if (on) {
        btn.setAttribute('aria-current', 'step');
        label = 'Step ' + (i + 1) + ': ' + $('.step-label', li).textContent.replace(/^Step \d+: /, '');
      } else {
        btn.removeAttribute('aria-current');
      }
    });
    var edit = form.dataset.mode === 'edit';
    var keys = stepKeys(form);
    var at = keys.indexOf(key);
    var back = $('#wizard-back', form);
    var next = $('#wizard-next', form);
    back.hidden = at <= 0;
    back.value = at > 0 ? 'step:' + keys[at - 1] : '';
    next.hidden = at >= keys.length - 1;
    next.value = at < keys.length - 1 ? 'step:' + keys[at + 1] : '';
    $('#customer-submit', form).hidden = !edit && at !== keys.length - 1;
    $('#sidebar-body', form).scrollTop = 0;
    announce(label);
    if (!opts.noFocus) {
      var target = key === 'entities' ? $('#entity-editor input:not([type=hidden]), #entity-editor select', panel) :
        $('input:not([type=hidden]), select', panel);
      if (target) { target.focus(); }
    }
  }

  // enterOp says what the Enter key means where the focus is: Save in the
  // entity editor, Next before the Add wizard's last step, else Submit.
  function enterOp(form) {
    var a = doc.activeElement;
    var keys = stepKeys(form);
    var at = keys.indexOf($('#wizard-step', form).value);
    if (a && a.closest('#entity-editor')) { return 'entity_save'; }
    if (form.dataset.mode !== 'edit' && at >= 0 && at < keys.length - 1) { return 'step:' + keys[at + 1]; }
    return 'submit';
  }

  // ---- Entity actions: send the form, swap in the panel the server answers with ----

  var entityBusy = false;

  function entityAction(form, op) {
    if (entityBusy) { return; }
    entityBusy = true;
    var panel = $('#entity-panel', form);
    panel.setAttribute('aria-busy', 'true');
    var body = new URLSearchParams(new FormData(form));
    body.set('op', op);
    fetchHTML(form.action, { method: 'POST', body: body })
      .then(function (r) {
        var next = $('#entity-panel', r.page);
        if (!next) {
          var msg = $('main .panel p, main h1', r.page);
          throw new Error(msg ? msg.textContent.trim() : 'status ' + r.res.status);
        }
        var node = doc.importNode(next, true);
        panel.parentNode.replaceChild(node, panel);
        var errs = $('#form-errors', form);
        var nerrs = $('#form-errors', r.page);
        if (errs && nerrs) { errs.parentNode.replaceChild(doc.importNode(nerrs, true), errs); }
        var nform = $('#customer-form', r.page);
        if (nform && nform.dataset.dirty === 'true') { form.dataset.dirty = 'true'; } else { delete form.dataset.dirty; }
        if (form.dataset.mode === 'edit' && r.res.ok && /^entity_(save|delete_confirm)/.test(op)) {
          entitiesChanged = true;
        }
        var target = (node.dataset.focus && doc.getElementById(node.dataset.focus)) ||
          $('#entity-alert', node) || $('#entity-editor input:not([type=hidden])', node);
        if (target) { target.focus(); }
        announce(node.dataset.announce);
      })
      .catch(function (err) {
        var alert = $('#entity-alert', panel);
        if (!alert) {
          alert = doc.createElement('div');
          alert.className = 'alert alert-error';
          alert.id = 'entity-alert';
          alert.setAttribute('role', 'alert');
          alert.tabIndex = -1;
          alert.innerHTML = '<svg class="icon" aria-hidden="true"><use href="#i-alert"/></svg><p></p>';
          panel.insertBefore(alert, $('.entity-intro', panel).nextSibling);
        }
        $('p', alert).textContent = 'That did not work: ' + (err && err.message ? err.message : 'the server could not be reached') +
          '. Try again, or reload the page.';
        alert.focus();
        panel.removeAttribute('aria-busy');
      })
      .then(function () { entityBusy = false; });
  }

  function showEntityConfirm(btn) {
    var box = doc.getElementById(btn.getAttribute('data-confirm'));
    if (!box) { return; }
    $$('.entity-confirm', btn.form).forEach(function (b) { b.hidden = b !== box; });
    box.hidden = false;
    var keep = $('[data-keep-entity]', box);
    if (keep) { keep.focus(); }
  }

  function hideEntityConfirm(box) {
    box.hidden = true;
    var row = box.closest('[data-entity]');
    var del = row && $('[data-confirm]', row);
    if (del) { del.focus(); }
  }

  // ---- The Settings step's logos ----
  // A chosen or dropped image is sent on its own at once (the slot's
  // data-upload): the Add wizard keeps the draft the server staged, edit
  // mode has stored it; the preview shows what the server made of it, and
  // a refusal shows beside the field. Remove forgets the draft, or asks
  // the server to remove the stored logo (data-remove).

  function wireLogo(form, slot) {
    var input = $('input[type=file]', slot);
    var zone = $('[data-dropzone]', slot);
    var remove = $('[data-logo-remove]', slot);
    input.addEventListener('change', function (e) {
      e.stopPropagation();
      if (input.files && input.files.length) { uploadLogo(form, slot, input.files[0]); }
    });
    ['dragenter', 'dragover'].forEach(function (type) {
      zone.addEventListener(type, function (e) {
        e.preventDefault();
        zone.classList.add('is-over');
      });
    });
    ['dragleave', 'drop'].forEach(function (type) {
      zone.addEventListener(type, function () { zone.classList.remove('is-over'); });
    });
    zone.addEventListener('drop', function (e) {
      e.preventDefault();
      var f = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
      if (f) { uploadLogo(form, slot, f); }
    });
    remove.addEventListener('click', function (e) {
      e.preventDefault();
      var url = slot.getAttribute('data-remove');
      var done = function () {
        showLogo(slot, { preview: '', info: '', draft_id: '' });
        announce('Logo removed.');
        input.focus();
      };
      if (!url) { done(); return; }
      logoRequest(url, null).then(function (r) {
        if (!r.ok) { throw new Error(r.a.error || 'status ' + r.status); }
        done();
      }).catch(function (err) { setLogoError(slot, err.message || 'That did not work; try again.'); });
    });
  }

  function logoRequest(url, file) {
    var body = new FormData();
    if (file) { body.append('file', file); }
    return fetch(url, { method: 'POST', body: body, credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (res) {
        return res.json().then(function (a) { return { ok: res.ok, status: res.status, a: a }; },
          function () { return { ok: false, status: res.status, a: {} }; });
      });
  }

  function setLogoError(slot, msg) {
    var err = $('[data-error]', slot);
    var input = $('input[type=file]', slot);
    $('span', err).textContent = msg || '';
    err.hidden = !msg;
    slot.classList.toggle('has-error', !!msg);
    if (msg) { input.setAttribute('aria-invalid', 'true'); } else { input.removeAttribute('aria-invalid'); }
    if (msg) { announce(msg); }
  }

  function showLogo(slot, a) {
    var preview = $('[data-preview]', slot);
    preview.textContent = '';
    if (a.preview) {
      var img = doc.createElement('img');
      img.src = a.preview;
      img.alt = $('.label', slot).textContent + ' preview';
      preview.appendChild(img);
    }
    $('[data-dropzone]', slot).classList.toggle('has-image', !!a.preview);
    var draft = $('[data-draft]', slot);
    draft.value = a.draft_id || '';
    draft.disabled = !a.draft_id;
    var info = $('[data-info]', slot);
    info.value = a.info || '';
    info.disabled = !a.info;
    $('[data-info-text]', slot).textContent = a.info || '';
    var warn = $('[data-warning]', slot);
    $('span', warn).textContent = a.warning || '';
    warn.hidden = !a.warning;
    $('[data-logo-remove]', slot).hidden = !a.preview;
    setLogoError(slot, '');
  }

  function uploadLogo(form, slot, file) {
    var input = $('input[type=file]', slot);
    slot.setAttribute('aria-busy', 'true');
    logoRequest(slot.getAttribute('data-upload'), file).then(function (r) {
      slot.removeAttribute('aria-busy');
      input.value = ''; // sent: the form does not carry it again
      if (!r.ok) {
        setLogoError(slot, r.a.error || (r.status === 413 ? 'The file is larger than 20 MB; choose a smaller image.' : 'That did not work; try again.'));
        return;
      }
      showLogo(slot, r.a);
      form.dataset.dirty = 'true';
      announce(r.a.status);
    }).catch(function () {
      slot.removeAttribute('aria-busy');
      setLogoError(slot, 'That did not work; check the connection and try again.');
    });
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
      var t = e.target.closest('[data-close], [data-cancel], [data-discard], [data-keep], a[data-focus]');
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
      } else if (t.matches('a[data-focus]')) {
        var field = doc.getElementById(t.getAttribute('data-focus'));
        if (field) {
          e.preventDefault();
          var panel = field.closest('.step-panel');
          var form = $('form', el);
          if (panel && panel.hidden && form) { goStep(form, panel.getAttribute('data-step'), { force: true, noFocus: true }); }
          field.focus();
        }
      }
    });

    var form = $('form', el);
    if (!form) { return; }
    $$('[data-logo]', form).forEach(function (slot) { wireLogo(form, slot); });
    // License Allocation counts down what the pool has left as one types,
    // in words and, past the pool, in red.
    var showRoom = function (field) {
      var input = $('input', field);
      var left = $('[data-left]', field);
      if (!input || !left) { return; }
      var n = parseInt(input.value, 10);
      if (input.value.trim() === '' || isNaN(n)) { left.hidden = true; return; }
      var rest = parseInt(field.getAttribute('data-room'), 10) - n;
      left.hidden = false;
      left.classList.toggle('is-over', rest < 0);
      left.textContent = rest < 0 ? (-rest).toLocaleString('en-US') + ' more than the pool has left' : rest.toLocaleString('en-US') + ' left in the pool after this';
    };
    $$('[data-room]', form).forEach(function (field) {
      showRoom(field);
      $('input', field).addEventListener('input', function () { showRoom(field); });
    });
    var markDirty = function () { form.dataset.dirty = 'true'; };
    form.addEventListener('input', function (e) {
      markDirty();
      if (e.target.matches('input')) { clearClientError(e.target); }
    });
    form.addEventListener('change', function (e) {
      markDirty();
      // A country picked for a location suggests the phone's country code
      // of the same record.
      var t = e.target;
      if (t.matches('select[data-country]')) {
        var scope = t.closest('.entity-editor') || t.closest('.step-panel') || form;
        var region = $('select[data-phone-region]', scope);
        if (region && region.value === '' && $('option[value="' + t.value + '"]', region)) {
          region.value = t.value;
        }
      }
    });
    form.addEventListener('keydown', function (e) {
      // Escape in an entity's delete question answers "Keep".
      var box = e.key === 'Escape' && e.target.closest && e.target.closest('.entity-confirm');
      if (box && !box.hidden) {
        e.preventDefault();
        hideEntityConfirm(box);
      }
    });
    form.addEventListener('submit', function (e) {
      var s = e.submitter;
      var op = s && s.name === 'op' ? s.value : 'submit';
      if (op === 'enter') { op = enterOp(form); }
      if (op.indexOf('step:') === 0) {
        e.preventDefault();
        var target = op.slice(5);
        var keys = stepKeys(form);
        var from = $('#wizard-step', form).value;
        if (keys.indexOf(target) > keys.indexOf(from) && (from === 'details' || from === 'settings')) {
          if (from === 'details' && !checkRequired(form)) { return; }
          checkStep(form, from, target);
        } else {
          goStep(form, target);
        }
        return;
      }
      if (s && s.hasAttribute('data-keep-entity')) {
        e.preventDefault();
        hideEntityConfirm(s.closest('.entity-confirm'));
        return;
      }
      if (s && s.hasAttribute('data-confirm')) {
        e.preventDefault();
        showEntityConfirm(s);
        return;
      }
      if (op.indexOf('entity_') === 0) {
        e.preventDefault();
        entityAction(form, op);
        return;
      }
      var submit = $('#customer-submit', form);
      if (op === 'submit' && submit && s !== submit) {
        // Enter on the last step: submit as the Submit button does.
        e.preventDefault();
        form.requestSubmit(submit);
        return;
      }
      var btn = (s && s.id !== 'enter-key') ? s : $('#customer-submit, #delete-confirm', form);
      // Disable after the submit has started, so the click counts but a
      // second one does not post the form twice.
      if (btn) { setTimeout(function () { btn.disabled = true; }, 0); }
    });

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

  // ---- The customer list: search, filter, sort, chips ----

  var listForm = $('#list-query');
  var listCtrl = null;

  // loadResults fetches the results of url and swaps them in.
  function loadResults(url, opts) {
    opts = opts || {};
    var results = $('#results');
    if (!results) { return; }
    if (listCtrl) { listCtrl.abort(); }
    var ctrl = listCtrl = new AbortController();
    results.setAttribute('aria-busy', 'true');
    fetchHTML(url, { headers: { 'X-Custreg-Fragment': 'results' }, signal: ctrl.signal })
      .then(function (r) {
        if (ctrl !== listCtrl) { return; }
        listCtrl = null;
        var next = $('#results', r.page);
        if (!next) { throw new Error('no results'); }
        var node = doc.importNode(next, true);
        var cur = $('#results');
        cur.parentNode.replaceChild(node, cur);
        var count = $('#customer-count');
        if (count) { count.textContent = node.getAttribute('data-count'); }
        var badge = $('#filter-count');
        var n = parseInt(node.getAttribute('data-conditions'), 10) || 0;
        if (badge) {
          badge.hidden = n === 0;
          badge.firstChild.nodeValue = String(n);
        }
        var canonical = node.getAttribute('data-url');
        if (opts.syncControls && listForm) {
          var rows = $('#filter-rows-next', r.page);
          if (rows) {
            $('#filter-rows').innerHTML = rows.innerHTML;
            enhanceRows();
          }
          var params = new URL(canonical, location.href).searchParams;
          $('#list-q').value = params.get('q') || '';
          $('#list-sort').value = params.get('sort') || 'name';
        }
        if (!opts.keepURL && canonical && !current) {
          history.replaceState(history.state, '', canonical);
          returnURL = canonical;
        }
        if (!opts.quiet) {
          var err = $('#query-error', node);
          announce(err ? err.textContent.trim() : node.getAttribute('data-count') + (n || $('#list-q').value.trim() ? ' match.' : '.'));
        }
      })
      .catch(function (err) {
        if (err && err.name === 'AbortError') { return; }
        location.href = url;
      });
  }

  function isMulti(op) { return op === 'in' || op === 'not_in'; }

  function splitValues(s) {
    return s.split(',').map(function (v) { return v.trim(); }).filter(function (v) { return v !== ''; });
  }

  // readRow returns a panel row as a condition, or null when it has no value.
  function readRow(row) {
    var field = $('[data-part=field]', row).value;
    var op = $('[data-part=op]', row).value;
    var input = $('[data-part=value]', row);
    if (isMulti(op)) {
      var values = $$('.vchip', row).map(function (li) { return li.getAttribute('data-value'); })
        .concat(splitValues(input.value));
      return values.length ? { field: field, op: op, values: values } : null;
    }
    var value = input.value.trim();
    return value ? { field: field, op: op, value: value } : null;
  }

  // listURL builds the API's query from the controls, as the server's
  // listState.query does: field.op parameters, or a filter tree when two
  // conditions share one.
  function listURL() {
    var p = new URLSearchParams();
    var q = $('#list-q').value.trim();
    if (q) { p.append('q', q); }
    var conds = $$('#filter-rows [data-row]').map(readRow).filter(Boolean);
    var advanced = $('#filter-advanced');
    var seen = {};
    var dup = false;
    conds.forEach(function (c) {
      var k = c.field + '.' + c.op;
      dup = dup || seen[k];
      seen[k] = true;
    });
    if (dup) {
      var all = (advanced ? [JSON.parse(advanced.value)] : []).concat(conds);
      p.append('filter', JSON.stringify(all.length === 1 ? all[0] : { op: 'and', conditions: all }));
    } else {
      conds.forEach(function (c) {
        (c.values || [c.value]).forEach(function (v) { p.append(c.field + '.' + c.op, v); });
      });
      if (advanced) { p.append('filter', advanced.value); }
    }
    var sort = $('#list-sort').value;
    if (sort && sort !== 'name') { p.append('sort', sort); }
    var s = p.toString();
    return '/customers' + (s ? '?' + s : '');
  }

  // renumberRows keeps the rows' names, ids and labels in order.
  function renumberRows() {
    $$('#filter-rows [data-row]').forEach(function (row, i) {
      ['field', 'op', 'value'].forEach(function (part) {
        var input = $('[data-part=' + part + ']', row);
        input.id = 'fr-' + i + '-' + part;
        input.name = 'f[' + i + '].' + part;
        var label = $('[data-label=' + part + ']', row);
        label.htmlFor = input.id;
      });
      $('[data-label=field]', row).textContent = 'Field of condition ' + (i + 1);
      $('[data-label=op]', row).textContent = 'Condition ' + (i + 1);
      $('[data-label=value]', row).textContent = 'Value of condition ' + (i + 1);
      var rm = $('[data-remove-row]', row);
      rm.value = String(i);
      $('.sr-only', rm).textContent = 'Remove condition ' + (i + 1);
    });
  }

  // enhanceRow turns an "in" / "not in" value into chips, entered with
  // Enter or a comma.
  function enhanceRow(row) {
    if (row.dataset.enhanced) { return; }
    row.dataset.enhanced = 'true';
    var op = $('[data-part=op]', row);
    var input = $('[data-part=value]', row);
    var wrap = input.parentNode;
    var list = doc.createElement('ul');
    list.className = 'value-chips';
    list.setAttribute('role', 'list');
    wrap.insertBefore(list, input);

    function add(v) {
      var exists = $$('.vchip', list).some(function (li) { return li.getAttribute('data-value').toLowerCase() === v.toLowerCase(); });
      if (exists) { return; }
      var li = doc.createElement('li');
      li.className = 'vchip';
      li.setAttribute('data-value', v);
      var span = doc.createElement('span');
      span.textContent = v;
      var b = doc.createElement('button');
      b.type = 'button';
      b.className = 'vchip-remove';
      b.setAttribute('aria-label', 'Remove value ' + v);
      b.innerHTML = '<svg class="icon" aria-hidden="true"><use href="#i-close"/></svg>';
      li.appendChild(span);
      li.appendChild(b);
      list.appendChild(li);
    }
    function commit() {
      if (!isMulti(op.value)) { return; }
      splitValues(input.value).forEach(add);
      input.value = '';
    }
    function mode() {
      var multi = isMulti(op.value);
      wrap.classList.toggle('is-multi', multi);
      list.hidden = !multi || !list.children.length;
      input.placeholder = multi ? (list.children.length ? 'Add another' : 'Type a value, press Enter') : 'Value';
    }
    if (isMulti(op.value)) {
      var initial = [];
      try { initial = JSON.parse(input.getAttribute('data-values') || '[]'); } catch (e) { initial = []; }
      if (!initial.length) { initial = splitValues(input.value); }
      initial.forEach(add);
      input.value = '';
    }
    mode();
    var swallow = false; // the key just made a chip: its keypress must not submit or type
    input.addEventListener('keydown', function (e) {
      swallow = false;
      if (!isMulti(op.value)) { return; }
      if ((e.key === 'Enter' && input.value.trim() !== '') || e.key === ',') {
        e.preventDefault();
        swallow = true;
        commit();
        mode();
      } else if (e.key === 'Backspace' && input.value === '' && list.lastChild) {
        list.removeChild(list.lastChild);
        mode();
        announce('Value removed.');
      }
    });
    input.addEventListener('keypress', function (e) {
      // Some input methods send the character even when keydown was
      // cancelled; an Enter that made a chip must not also apply.
      if (swallow && (e.key === 'Enter' || e.key === ',')) { e.preventDefault(); }
    });
    input.addEventListener('keyup', function () { swallow = false; });
    input.addEventListener('blur', function () { commit(); mode(); });
    op.addEventListener('change', function () {
      if (isMulti(op.value)) {
        commit();
      } else if (list.children.length) {
        // One value for the single-value conditions: keep the first.
        input.value = input.value.trim() || list.firstChild.getAttribute('data-value');
        list.innerHTML = '';
      }
      mode();
    });
    list.addEventListener('click', function (e) {
      var b = e.target.closest('.vchip-remove');
      if (!b) { return; }
      var li = b.parentNode;
      announce('Value ' + li.getAttribute('data-value') + ' removed.');
      list.removeChild(li);
      mode();
      input.focus();
    });
  }

  function enhanceRows() { $$('#filter-rows [data-row]').forEach(enhanceRow); }

  function addRow() {
    var tpl = $('#filter-row-template');
    var box = $('#filter-rows');
    var row = tpl.content.firstElementChild.cloneNode(true);
    var advanced = $('#filter-advanced', box);
    box.insertBefore(row, advanced);
    renumberRows();
    enhanceRow(row);
    return row;
  }

  function closeFilter(focusToggle) {
    var details = $('#filter');
    if (details && details.open) {
      details.open = false;
      if (focusToggle) { $('#filter-toggle').focus(); }
    }
  }

  if (listForm && $('#results')) {
    var q = $('#list-q');
    var timer = null;
    var details = $('#filter');
    $('#filter-add').hidden = false;
    enhanceRows();

    var refresh = function () {
      clearTimeout(timer);
      loadResults(listURL());
    };
    q.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 250);
    });
    $('#list-sort').addEventListener('change', refresh);
    $('#filter-add').addEventListener('click', function () {
      var row = addRow();
      $('[data-part=field]', row).focus();
    });
    listForm.addEventListener('submit', function (e) {
      e.preventDefault();
      var s = e.submitter;
      if (s && s.hasAttribute('data-remove-row')) {
        // Removing a row edits the panel; Apply applies it.
        var row = s.closest('[data-row]');
        var next = row.nextElementSibling && row.nextElementSibling.matches('[data-row]') ? row.nextElementSibling :
          row.previousElementSibling;
        row.parentNode.removeChild(row);
        if (!$('#filter-rows [data-row]')) { next = addRow(); }
        renumberRows();
        announce('Condition removed. Apply to update the list.');
        var focus = next && ($('[data-remove-row]', next) || $('[data-part=field]', next));
        (focus || $('#filter-add')).focus();
        return;
      }
      if (s && s.id === 'filter-clear') {
        $$('#filter-rows [data-row]').forEach(function (r) { r.parentNode.removeChild(r); });
        var adv = $('#filter-advanced');
        if (adv) { adv.parentNode.removeChild(adv); }
        addRow();
      }
      clearTimeout(timer);
      var fromPanel = s && (s.id === 'filter-apply' || s.id === 'filter-clear' || details.contains(s));
      loadResults(listURL(), { syncControls: fromPanel });
      if (fromPanel || (details.open && details.contains(doc.activeElement))) { closeFilter(true); }
    });
    details.addEventListener('toggle', function () {
      if (details.open) {
        var first = $('#filter-rows [data-row] [data-part=field]');
        if (first) { first.focus(); }
      }
    });
    details.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && details.open) {
        e.preventDefault();
        closeFilter(true);
      }
    });
    doc.addEventListener('click', function (e) {
      if (details.open && !details.contains(e.target)) { closeFilter(false); }
    });
  }

  // ---- Load more ----

  function loadMore(link) {
    link.setAttribute('aria-disabled', 'true');
    fetchHTML(link.href)
      .then(function (r) {
        if (!r.res.ok) { throw new Error('status ' + r.res.status); }
        var grid = $('#customer-grid');
        var items = $$('#customer-grid > li', r.page);
        if (!grid) { throw new Error('no grid'); }
        var first = null;
        items.forEach(function (li) {
          var node = doc.importNode(li, true);
          grid.appendChild(node);
          first = first || node;
        });
        var foot = $('#list-foot');
        var next = $('#list-foot a[data-load-more]', r.page);
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
      return;
    }
    var link = e.target.closest('a[data-list-link]');
    if (link && listForm) {
      e.preventDefault();
      loadResults(link.getAttribute('href'), { syncControls: true });
      var focus = $('#list-q');
      if (focus) { focus.focus(); }
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

  // ---- Customer and entity pickers (Users, Assets) ----

  // refreshPicker swaps in the entity picker of the customer just chosen
  // in sel. If that fails, the no-script button stays the way to do it.
  function refreshPicker(sel) {
    var box = doc.getElementById(sel.getAttribute('data-picker-target'));
    if (!box) { return; }
    box.setAttribute('aria-busy', 'true');
    var url = sel.getAttribute('data-picker-url') + '&customer_id=' + encodeURIComponent(sel.value);
    fetchHTML(url)
      .then(function (r) {
        if (!r.res.ok) { throw new Error('status ' + r.res.status); }
        var next = r.page.getElementById(box.id);
        var cur = doc.getElementById(box.id);
        if (!next || !cur) { throw new Error('no picker'); }
        if ((next.getAttribute('data-customer') || '') !== sel.value) { return; } // a later choice wins
        cur.parentNode.replaceChild(doc.importNode(next, true), cur);
        var n = $$('option[value]:not([value=""]), input[type=checkbox]', next).length;
        announce(sel.value === '' ? 'No customer chosen.' : (n === 1 ? '1 entity to choose from.' : n + ' entities to choose from.'));
      })
      .catch(function () {
        box.removeAttribute('aria-busy');
        var btn = doc.getElementById(sel.id + '-refresh');
        if (btn) { btn.classList.remove('nojs-only'); }
      });
  }

  doc.addEventListener('change', function (e) {
    var t = e.target;
    if (!t.matches) { return; }
    if (t.matches('[data-customer-picker][data-picker-url]')) {
      refreshPicker(t);
    } else if (t.matches('select[data-autosubmit], input[data-autosubmit]') && t.form) {
      if (t.matches('[data-customer-picker]')) {
        // A new customer: an entity of the old one means nothing.
        var ent = $('#filter-entity', t.form);
        if (ent) { ent.value = ''; }
        // The choice is the id alone: the box and what it showed stay
        // out of the address.
        $$('[data-combobox] input[type=search], [data-combo-shown]', t.form).forEach(function (i) { i.disabled = true; });
      }
      t.form.requestSubmit();
    } else if (t.matches('input[data-select-all]')) {
      $$('input[type=checkbox][name=ids][form=move-form]').forEach(function (c) { c.checked = t.checked; });
    }
  });

  // ---- Customer boxes: a combobox over GET /pickers/customers ----
  // (WAI-ARIA combobox with a listbox popup.) Typing asks the server for a
  // page of matches; arrow keys move through them, Enter or a click
  // chooses one, Escape closes the list. Without the script the box is a
  // search the server looks up when the form is sent.

  function wireCombo(box) {
    var input = $('input[role=combobox]', box);
    var list = $('[role=listbox]', box);
    var hidden = $('[data-customer-picker]', box);
    var shown = $('[data-combo-shown]', box);
    if (!input || !list || !hidden || box.hasAttribute('data-combo-wired')) { return; }
    box.setAttribute('data-combo-wired', '');
    var timer = null;
    var chose = false;
    var seq = 0;
    var active = -1;
    function options() { return $$('[role=option][data-id]', list); }
    function close() {
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
      active = -1;
    }
    function mark(i) {
      var opts = options();
      opts.forEach(function (o, j) { o.setAttribute('aria-selected', String(j === i)); o.classList.toggle('active', j === i); });
      active = i;
      if (i >= 0 && opts[i]) {
        input.setAttribute('aria-activedescendant', opts[i].id);
        opts[i].scrollIntoView({ block: 'nearest' });
      } else {
        input.removeAttribute('aria-activedescendant');
      }
    }
    function choose(id, label) {
      close();
      input.value = label;
      if (shown) { shown.value = label; }
      if (hidden.value !== id) {
        hidden.value = id;
        hidden.dispatchEvent(new Event('change', { bubbles: true }));
      }
      announce(id ? label + ' chosen.' : 'No customer chosen.');
    }
    function search() {
      var q = input.value.trim();
      var mine = ++seq;
      fetchHTML(input.getAttribute('data-combo-url') + '?q=' + encodeURIComponent(q))
        .then(function (r) {
          if (mine !== seq) { return; } // a later keystroke wins
          var next = r.page.getElementById('customer-matches');
          if (!r.res.ok || !next) { throw new Error('status ' + r.res.status); }
          list.innerHTML = '';
          Array.prototype.forEach.call(next.children, function (li) {
            var o = doc.importNode(li, true);
            if (o.id) { o.id = input.id + '-' + o.id; }
            list.appendChild(o);
          });
          list.hidden = false;
          input.setAttribute('aria-expanded', 'true');
          mark(-1);
          var n = options().length;
          announce(n === 0 ? 'No customer matches.' : (n === 1 ? '1 customer matches.' : n + ' customers match.'));
        })
        .catch(function () { close(); }); // the server looks the text up when the form is sent
    }
    input.addEventListener('input', function () {
      clearTimeout(timer);
      if (input.value.trim() === '') {
        close();
        choose('', '');
        return;
      }
      timer = setTimeout(search, 150);
    });
    input.addEventListener('keydown', function (e) {
      var opts = options();
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        if (list.hidden) { search(); return; }
        if (opts.length === 0) { return; }
        var i = e.key === 'ArrowDown' ? active + 1 : active - 1;
        mark(i < 0 ? opts.length - 1 : i % opts.length);
      } else if (e.key === 'Enter' && !list.hidden) {
        // Enter chooses the marked match (or the only one) instead of
        // sending the form.
        var pick = opts[active] || (opts.length === 1 ? opts[0] : null);
        if (pick) {
          e.preventDefault();
          chose = true; // the keypress that follows sends no form either
          choose(pick.getAttribute('data-id'), pick.getAttribute('data-label'));
        }
      } else if (e.key === 'Escape' && !list.hidden) {
        e.preventDefault();
        e.stopPropagation(); // the sidebar stays open
        close();
      }
    });
    input.addEventListener('keypress', function (e) {
      if (e.key === 'Enter' && chose) { e.preventDefault(); }
    });
    input.addEventListener('keyup', function () { chose = false; });
    input.addEventListener('blur', function () { setTimeout(close, 150); });
    list.addEventListener('mousedown', function (e) {
      var o = e.target.closest('[role=option][data-id]');
      if (!o) { return; }
      e.preventDefault();
      choose(o.getAttribute('data-id'), o.getAttribute('data-label'));
    });
  }
  $$('[data-combobox]').forEach(wireCombo);
  // Boxes that arrive later (a sidebar or dialog loaded into the page).
  new MutationObserver(function (records) {
    records.forEach(function (rec) {
      Array.prototype.forEach.call(rec.addedNodes, function (n) {
        if (n.nodeType !== 1) { return; }
        if (n.matches('[data-combobox]')) { wireCombo(n); }
        $$('[data-combobox]', n).forEach(wireCombo);
      });
    });
  }).observe(doc.body, { childList: true, subtree: true });

  $$('input[data-select-all]').forEach(function (c) { c.hidden = false; });

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

  var open = $('dialog[open]#sidebar, dialog[open]#delete-dialog, dialog[open]#license-sidebar');
  if (open && typeof open.showModal === 'function') {
    returnURL = open.getAttribute('data-return') || '/customers';
    open.close();
    show(open);
  }
  // The organization's Settings page: its logos are sent as they are
  // chosen, as in the wizard.
  var orgForm = $('#org-settings-form');
  if (orgForm) { $$('[data-logo]', orgForm).forEach(function (slot) { wireLogo(orgForm, slot); }); }
})();
