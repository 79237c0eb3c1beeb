/* Plaindesk's two widgets for Decap CMS: a time log (a list) and a next step (an object)
   whose entries may be written in the one-line form, `2026-03-04 oleh-p 1h revisions`.
   Decap's own list and object widgets expect a mapping per entry and stop at a string
   (its save walks every entry's fields), so these wrap them: the form shows a one-line
   entry split into its parts, and an entry nobody edits is saved as it was written. An
   edited time log is written in the mapping form, every entry of it.

   The config names the parts under `parts` rather than `fields` (which would make Decap
   walk the entries itself); their order is the one-line form's: every part but the last
   is one word, the last takes the rest of the line. */
(function () {
  "use strict";
  var CMS = window.CMS;
  var h = window.h;
  var createClass = window.createClass;
  if (!CMS || !h || !createClass) {
    return;
  }

  function partNames(field) {
    return field.get("parts").map(function (part) {
      return part.get("name");
    }).toArray();
  }

  // a one-line entry as the mapping of its parts (`empty` is an empty Immutable Map)
  function split(text, names, empty) {
    var words = String(text).trim().split(/\s+/);
    var entry = empty;
    names.forEach(function (name, i) {
      var part = i === names.length - 1 ? words.slice(i).join(" ") : words[i];
      if (part) {
        entry = entry.set(name, part);
      }
    });
    return entry;
  }

  function shown(value, field, many) {
    var names = partNames(field);
    var empty = field.clear();
    if (many) {
      if (!value || typeof value.map !== "function") {
        return value;
      }
      return value.map(function (entry) {
        return typeof entry === "string" ? split(entry, names, empty) : entry;
      });
    }
    return typeof value === "string" ? split(value, names, empty) : value;
  }

  function wrap(base, many) {
    var Base = CMS.getWidget(base);
    var control = createClass({
      // The wrapped widget reports the entries it was shown as a change when it mounts;
      // only a real change reaches Decap, so opening a record leaves it unchanged.
      changed: function () {
        var next = arguments[0];
        if (next && this.shown && typeof next.equals === "function" && next.equals(this.shown)) {
          return;
        }
        this.props.onChange.apply(null, arguments);
      },
      render: function () {
        var field = this.props.field;
        this.shown = shown(this.props.value, field, many);
        var props = Object.assign({}, this.props, {
          field: field.set("fields", field.get("parts")),
          value: this.shown,
          onChange: this.changed,
        });
        return h(Base.control, props);
      },
    });
    return [control, Base.preview];
  }

  var list = wrap("list", true);
  var object = wrap("object", false);
  CMS.registerWidget("plaindesk-list", list[0], list[1]);
  CMS.registerWidget("plaindesk-object", object[0], object[1]);
})();
