/* The wizard step page, improved when JavaScript runs (the page works without it):
   - a question that depends on answers on the same page is shown only when they make it apply
     (its condition, from the question bank, is in data-show-if; without the script a note says it);
   - the live summary is read again with the answers typed so far, without saving;
   - text answers count their characters against the limit said in their hint. */
(function () {
  "use strict";

  var form = document.querySelector("form.wizard-form");
  if (!form) {
    return;
  }
  var text = form.dataset;

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (match, key) {
      return key in values ? values[key] : match;
    });
  }

  function number(n) {
    return new Intl.NumberFormat(document.documentElement.lang || undefined).format(n);
  }

  /* -- conditions within the page ---------------------------------------------------------- */

  // The values given in one input (or group of options): none when its question is hidden.
  function valuesOf(name) {
    var found = form.elements.namedItem(name);
    if (!found) {
      return [];
    }
    var elements = found.length !== undefined && !found.options ? Array.prototype.slice.call(found) : [found];
    var values = [];
    elements.forEach(function (element) {
      if (element.closest(".question[hidden]")) {
        return;
      }
      if (element.type === "radio" || element.type === "checkbox") {
        if (element.checked) {
          values.push(element.value);
        }
      } else if (element.value.trim() !== "") {
        values.push(element.value.trim());
      }
    });
    return values;
  }

  function test(operator, expected, values) {
    if (operator === "answered") {
      return (values.length > 0) === expected;
    }
    if (values.length === 0) {
      return false;
    }
    var wanted = Array.isArray(expected) ? expected.map(String) : [String(expected)];
    switch (operator) {
      case "equals":
      case "in":
        return wanted.indexOf(values[0]) !== -1;
      case "includes":
      case "includes_any":
        return wanted.some(function (value) { return values.indexOf(value) !== -1; });
      case "at_least":
        return parseFloat(values[0]) >= Number(expected);
      default:
        return true; // an operator this script does not know: show the question rather than hide it
    }
  }

  function holds(condition) {
    if ("const" in condition) {
      return condition.const;
    }
    if (condition.all) {
      return condition.all.every(holds);
    }
    if (condition.any) {
      return condition.any.some(holds);
    }
    if (condition.not) {
      return !holds(condition.not);
    }
    return condition.names.some(function (name) {
      return test(condition.op, condition.value, valuesOf(name));
    });
  }

  var dependent = Array.prototype.map.call(form.querySelectorAll("[data-show-if]"), function (element) {
    return { element: element, condition: JSON.parse(element.dataset.showIf) };
  });

  // In page order a condition reads only questions above it, already shown or hidden; the passes repeat until
  // nothing changes, so an order that differs cannot leave a question in the wrong state.
  function applyConditions() {
    for (var pass = 0; pass <= dependent.length; pass += 1) {
      var changed = false;
      dependent.forEach(function (question) {
        var hidden = !holds(question.condition);
        if (question.element.hidden !== hidden) {
          question.element.hidden = hidden;
          changed = true;
        }
      });
      if (!changed) {
        return;
      }
    }
  }

  /* -- live summary ------------------------------------------------------------------------ */

  var status = document.getElementById("live-summary-status");
  var timer = null;
  var pending = null;

  function say(message) {
    if (status) {
      status.textContent = message;
    }
  }

  function refreshSummary() {
    if (!text.summaryUrl || !window.fetch) {
      return;
    }
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    fetch(text.summaryUrl, {
      method: "POST", body: new FormData(form), credentials: "same-origin", signal: pending.signal,
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      return response.text();
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("live-summary");
      var current = document.getElementById("live-summary");
      if (fresh && current) {
        current.replaceWith(document.importNode(fresh, true));
        say(text.textUpdated || "");
      }
    }).catch(function (error) {
      if (error.name !== "AbortError") {
        say(text.textFailed || "");
      }
    });
  }

  function scheduleSummary() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refreshSummary, 700);
  }

  /* -- length of text answers -------------------------------------------------------------- */

  function counterFor(field) {
    var id = field.id + "_count";
    var counter = document.getElementById(id);
    if (!counter) {
      counter = document.createElement("span");
      counter.id = id;
      counter.className = "length-count";
      field.insertAdjacentElement("afterend", counter);
    }
    return counter;
  }

  function countLength(field) {
    var limit = parseInt(field.dataset.maxLength, 10);
    var length = field.value.length;
    var counter = counterFor(field);
    var over = length - limit;
    counter.classList.toggle("length-count--over", over > 0);
    counter.textContent = over > 0
      ? format(text.textOver || "", { over: number(over), limit: number(limit) })
      : format(text.textCount || "", { count: number(length), limit: number(limit) });
  }

  /* -- wiring ------------------------------------------------------------------------------ */

  // A refused save: the list of problems takes the focus, as the GOV.UK error summary does.
  var problems = document.querySelector(".error-summary");
  if (problems) {
    problems.focus();
  }

  form.classList.add("wizard-form--live");
  applyConditions();
  Array.prototype.forEach.call(form.querySelectorAll("[data-max-length]"), countLength);

  function onChange(event) {
    applyConditions();
    if (event.target.dataset && event.target.dataset.maxLength) {
      countLength(event.target);
    }
    scheduleSummary();
  }
  form.addEventListener("input", onChange);
  form.addEventListener("change", onChange);

  /* -- moving to another section keeps what was typed --------------------------------------- */

  // A section link in the side menu, once something was typed, goes there the way "Back" does: the page is
  // posted with the section to go to, so the answers are saved (or kept, when some need correcting) first.
  // A page sent back with its answers not saved (some need correcting, or someone else saved first) holds typed
  // answers from the start.
  var typed = form.dataset.unsaved === "1";
  form.addEventListener("input", function () { typed = true; });
  form.addEventListener("change", function () { typed = true; });
  form.addEventListener("submit", function () { typed = false; });
  Array.prototype.forEach.call(document.querySelectorAll(".wizard-progress a[data-step]"), function (link) {
    link.addEventListener("click", function (event) {
      if (!typed || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) {
        return;
      }
      event.preventDefault();
      var goto = document.createElement("input");
      goto.type = "hidden";
      goto.name = "wizard_goto_step";
      goto.value = link.dataset.step;
      form.appendChild(goto);
      typed = false;
      form.submit();
    });
  });
})();
