#include "actors/admin/config_document.hpp"

#include <capnp/compat/json.h>
#include <capnp/message.h>
#include <kj/exception.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <optional>

#include "actors/admin/capnp_text.hpp"
#include "wire/config/names.hpp"

namespace stmfd::admin {
namespace {

using capnp::JsonValue;
using Fields = capnp::List<JsonValue::Field>;

// A field of a JSON object, by name; null when absent.
std::optional<JsonValue::Reader> member(JsonValue::Reader obj, std::string_view key) {
  if (!obj.isObject()) return std::nullopt;
  for (auto f : obj.getObject())
    if (std::string_view(f.getName().cStr(), f.getName().size()) == key) return f.getValue();
  return std::nullopt;
}

void set_text(JsonValue::Builder v, const std::string& s) { v.setString(s); }

// 64-bit values above 2^53 do not survive a JSON number: write them as
// decimal strings, which the loader accepts.
void set_u64(JsonValue::Builder v, uint64_t n) {
  if (n <= (uint64_t(1) << 53))
    v.setNumber(double(n));
  else
    v.setString(std::to_string(n));
}

// Fills an object from (key, writer or value to copy) pairs, in order.
struct object_writer {
  struct entry {
    std::string key;
    std::function<void(JsonValue::Builder)> write;  // null: copy `from`
    JsonValue::Reader from;
  };
  std::vector<entry> fields;
  void add(std::string key, std::function<void(JsonValue::Builder)> w) { fields.push_back({std::move(key), w, {}}); }
  void copy(std::string key, JsonValue::Reader from) { fields.push_back({std::move(key), nullptr, from}); }
  void write(JsonValue::Builder v) const {
    auto out = v.initObject(unsigned(fields.size()));
    for (unsigned i = 0; i < fields.size(); ++i) {
      out[i].setName(fields[i].key);
      if (fields[i].write)
        fields[i].write(out[i].initValue());
      else
        out[i].setValue(fields[i].from);
    }
  }
};

void write_groups(JsonValue::Builder v, const auto& groups) {
  auto arr = v.initArray(unsigned(groups.size()));
  for (unsigned i = 0; i < groups.size(); ++i) {
    object_writer o;
    auto& g = groups[i];
    o.add("name", [&](JsonValue::Builder b) { set_text(b, g.name); });
    o.add("members", [&](JsonValue::Builder b) {
      auto m = b.initArray(unsigned(g.members.size()));
      for (unsigned j = 0; j < g.members.size(); ++j) m[j].setString(g.members[j]);
    });
    o.write(arr[i]);
  }
}

void write_views(JsonValue::Builder v, const std::vector<const view_entry*>& views, bool with_groups) {
  auto arr = v.initArray(unsigned(views.size()));
  for (unsigned i = 0; i < views.size(); ++i) {
    const view_entry& e = *views[i];
    object_writer o;
    o.add("lun", [&](JsonValue::Builder b) { b.setNumber(e.lun); });
    o.add("logicalUnit", [&](JsonValue::Builder b) { set_text(b, e.lu); });
    if (with_groups && !e.host_group.empty())
      o.add("hostGroup", [&](JsonValue::Builder b) { set_text(b, e.host_group); });
    if (with_groups && !e.target_group.empty())
      o.add("targetGroup", [&](JsonValue::Builder b) { set_text(b, e.target_group); });
    o.write(arr[i]);
  }
}

void write_lu(JsonValue::Builder v, const lu_entry_fields& lu) {
  object_writer o;
  o.add("name", [&](JsonValue::Builder b) { set_text(b, lu.name); });
  o.add("backing", [&](JsonValue::Builder b) { set_text(b, lu.backing); });
  if (!lu.path.empty()) o.add("path", [&](JsonValue::Builder b) { set_text(b, lu.path); });
  if (lu.size_bytes) o.add("sizeBytes", [&](JsonValue::Builder b) { set_u64(b, lu.size_bytes); });
  o.add("blockSize", [&](JsonValue::Builder b) { b.setNumber(lu.block_size); });
  o.add("writeCache", [&](JsonValue::Builder b) { b.setBoolean(lu.write_cache); });
  if (lu.read_only) o.add("readOnly", [&](JsonValue::Builder b) { b.setBoolean(true); });
  if (!lu.thin) o.add("thinProvisioning", [&](JsonValue::Builder b) { b.setBoolean(false); });
  if (!lu.create) o.add("create", [&](JsonValue::Builder b) { b.setBoolean(false); });
  if (!lu.guid.empty()) o.add("guid", [&](JsonValue::Builder b) { set_text(b, lu.guid); });
  if (!lu.vendor.empty()) o.add("vendor", [&](JsonValue::Builder b) { set_text(b, lu.vendor); });
  if (!lu.product.empty()) o.add("product", [&](JsonValue::Builder b) { set_text(b, lu.product); });
  if (!lu.serial.empty()) o.add("serial", [&](JsonValue::Builder b) { set_text(b, lu.serial); });
  if (!lu.provider.empty()) o.add("provider", [&](JsonValue::Builder b) { set_text(b, lu.provider); });
  if (!lu.barcode.empty()) o.add("barcode", [&](JsonValue::Builder b) { set_text(b, lu.barcode); });
  o.write(v);
}

// libraries from the library verbs' model (Library, Cartridge).
void write_libraries(JsonValue::Builder v, const std::vector<library_entry>& libs) {
  auto arr = v.initArray(unsigned(libs.size()));
  for (unsigned i = 0; i < libs.size(); ++i) {
    const auto& l = libs[i];
    object_writer o;
    o.add("name", [&](JsonValue::Builder b) { set_text(b, l.name); });
    o.add("changer", [&](JsonValue::Builder b) { set_text(b, l.changer); });
    o.add("drives", [&](JsonValue::Builder b) {
      auto d = b.initArray(unsigned(l.drives.size()));
      for (unsigned j = 0; j < l.drives.size(); ++j) d[j].setString(l.drives[j]);
    });
    o.add("slots", [&](JsonValue::Builder b) { b.setNumber(l.slots); });
    o.add("importExport", [&](JsonValue::Builder b) { b.setNumber(l.import_export); });
    o.add("cartridges", [&](JsonValue::Builder b) {
      auto c = b.initArray(unsigned(l.cartridges.size()));
      for (unsigned j = 0; j < l.cartridges.size(); ++j) {
        const auto& cart = l.cartridges[j];
        object_writer co;
        co.add("barcode", [&](JsonValue::Builder x) { set_text(x, cart.barcode); });
        co.add("sizeBytes", [&](JsonValue::Builder x) { set_u64(x, cart.size_bytes); });
        if (!cart.path.empty()) co.add("path", [&](JsonValue::Builder x) { set_text(x, cart.path); });
        co.write(c[j]);
      }
    });
    o.write(arr[i]);
  }
}

// targetPortGroups from the ALUA model: id, name (when set), state, and
// the per-LU states (when any).
void write_tpgs(JsonValue::Builder v, const std::vector<tpg_definition>& groups) {
  auto arr = v.initArray(unsigned(groups.size()));
  for (unsigned i = 0; i < groups.size(); ++i) {
    auto& g = groups[i];
    object_writer o;
    o.add("id", [&](JsonValue::Builder b) { b.setNumber(g.id); });
    if (!g.name.empty()) o.add("name", [&](JsonValue::Builder b) { set_text(b, g.name); });
    o.add("state", [&](JsonValue::Builder b) { set_text(b, std::string(scsi::alua::name_of(g.state))); });
    if (!g.lu_states.empty())
      o.add("luStates", [&](JsonValue::Builder b) {
        auto states = b.initArray(unsigned(g.lu_states.size()));
        unsigned j = 0;
        for (auto& kv : g.lu_states) {
          object_writer e;
          e.add("logicalUnit", [&](JsonValue::Builder x) { set_text(x, kv.first); });
          e.add("state", [&](JsonValue::Builder x) { set_text(x, std::string(scsi::alua::name_of(kv.second))); });
          e.write(states[j++]);
        }
      });
    o.write(arr[i]);
  }
}

// A target object as written, with `luns` replaced by the mapping's views
// through exactly that target (the key dropped when there are none and it
// was absent).
// The keys of an itadm target entry that are set, in order.
void add_target_keys(object_writer& o, const target_entry& t) {
  if (t.alias_set && !t.alias.empty()) o.add("alias", [&t](JsonValue::Builder b) { set_text(b, t.alias); });
  if (t.groups_set)
    o.add("portalGroups", [&t](JsonValue::Builder b) {
      auto arr = b.initArray(unsigned(t.portal_groups.size()));
      for (unsigned i = 0; i < t.portal_groups.size(); ++i) arr[i].setString(t.portal_groups[i]);
    });
  if (t.auth_set)
    o.add("auth", [&t](JsonValue::Builder b) {
      object_writer a;
      a.add("method", [&t](JsonValue::Builder x) { set_text(x, t.method); });
      const std::pair<const char*, const std::string*> fields[] = {{"chapUser", &t.chap_user},
                                                                   {"chapSecret", &t.chap_secret},
                                                                   {"mutualUser", &t.mutual_user},
                                                                   {"mutualSecret", &t.mutual_secret}};
      for (auto& field : fields) {
        const std::string* val = field.second;  // (clang 14 cannot capture a structured binding)
        if (!val->empty()) a.add(field.first, [val](JsonValue::Builder x) { set_text(x, *val); });
      }
      a.write(b);
    });
}

// A target object as written, with `luns` replaced by the mapping's views
// through exactly that target (when m is set; the key dropped when there
// are none and it was absent) and itadm's changes (when mod is set).
void write_target(JsonValue::Builder v, JsonValue::Reader target, const mapping_state* m, const target_entry* mod) {
  std::string name;
  if (auto n = member(target, "name"); n && n->isString()) name = str(n->getString());
  std::vector<const view_entry*> luns;
  if (m)
    for (auto& e : m->views)
      if (!e.target.empty() && wire::cfg::fold_case(e.target) == wire::cfg::fold_case(name)) luns.push_back(&e);
  object_writer o;
  bool had_luns = false;
  for (auto f : target.getObject()) {
    std::string key = str(f.getName());
    if (m && key == "luns") {
      had_luns = true;
      o.add(key, [&](JsonValue::Builder b) { write_views(b, luns, false); });
    } else if (mod && ((mod->alias_set && key == "alias") || (mod->auth_set && key == "auth") ||
                       (mod->groups_set && (key == "portalGroups" || key == "portals" || key == "tpgt")))) {
      continue;
    } else {
      o.copy(key, f.getValue());
    }
  }
  if (m && !had_luns && !luns.empty()) o.add("luns", [&](JsonValue::Builder b) { write_views(b, luns, false); });
  if (mod) add_target_keys(o, *mod);
  o.write(v);
}

// targets as written minus the removed ones (itadm delete-target), each
// rewritten by write_target, plus the added ones.
void write_targets(JsonValue::Builder v, std::optional<JsonValue::Reader> old, const document_change& c) {
  std::vector<std::pair<JsonValue::Reader, const target_entry*>> kept;
  if (old && old->isArray())
    for (auto t : old->getArray()) {
      auto n = member(t, "name");
      std::string name = n && n->isString() ? wire::cfg::fold_case(str(n->getString())) : std::string();
      bool removed = false;
      for (auto& r : c.removed_targets) removed = removed || wire::cfg::fold_case(r) == name;
      if (removed) continue;
      const target_entry* mod = nullptr;
      for (auto& e : c.modified_targets)
        if (wire::cfg::fold_case(e.name) == name) mod = &e;
      kept.emplace_back(t, mod);
    }
  auto arr = v.initArray(unsigned(kept.size() + c.added_targets.size()));
  unsigned i = 0;
  for (auto& [t, mod] : kept) {
    if (t.isObject())
      write_target(arr[i++], t, c.mapping, mod);
    else
      arr.setWithCaveats(i++, t);
  }
  for (auto& t : c.added_targets) {
    object_writer o;
    o.add("name", [&t](JsonValue::Builder b) { set_text(b, t.name); });
    add_target_keys(o, t);
    o.write(arr[i++]);
  }
}

// An LU entry as written with modify-lu's keys replaced.
void write_modified_lu(JsonValue::Builder v, JsonValue::Reader lu, const lu_entry_fields& m) {
  static const char* owned[] = {"sizeBytes", "writeCache", "readOnly", "thinProvisioning", "vendor", "product"};
  object_writer o;
  for (auto f : lu.getObject()) {
    std::string key = str(f.getName());
    if (std::find(std::begin(owned), std::end(owned), key) == std::end(owned)) o.copy(key, f.getValue());
  }
  if (m.size_bytes) o.add("sizeBytes", [&](JsonValue::Builder b) { set_u64(b, m.size_bytes); });
  o.add("writeCache", [&](JsonValue::Builder b) { b.setBoolean(m.write_cache); });
  if (m.read_only) o.add("readOnly", [&](JsonValue::Builder b) { b.setBoolean(true); });
  if (!m.thin) o.add("thinProvisioning", [&](JsonValue::Builder b) { b.setBoolean(false); });
  if (!m.vendor.empty()) o.add("vendor", [&](JsonValue::Builder b) { set_text(b, m.vendor); });
  if (!m.product.empty()) o.add("product", [&](JsonValue::Builder b) { set_text(b, m.product); });
  o.write(v);
}

// logicalUnits as written minus the removed ones, plus the added ones.
void write_lus(JsonValue::Builder v, std::optional<JsonValue::Reader> old, const document_change& c) {
  std::vector<JsonValue::Reader> kept;
  if (old && old->isArray())
    for (auto lu : old->getArray()) {
      auto n = member(lu, "name");
      std::string name = n && n->isString() ? str(n->getString()) : std::string();
      if (std::find(c.removed_lus.begin(), c.removed_lus.end(), name) == c.removed_lus.end()) kept.push_back(lu);
    }
  auto arr = v.initArray(unsigned(kept.size() + c.added_lus.size()));
  unsigned i = 0;
  for (auto& lu : kept) {
    const lu_entry_fields* mod = nullptr;
    if (auto n = member(lu, "name"); n && n->isString())
      for (auto& m : c.modified_lus)
        if (m.name == str(n->getString())) mod = &m;
    if (mod != nullptr && lu.isObject())
      write_modified_lu(arr[i++], lu, *mod);
    else
      arr.setWithCaveats(i++, lu);
  }
  for (auto& lu : c.added_lus) write_lu(arr[i++], lu);
}

}  // namespace

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

render_result render_config(std::string_view base, const document_change& change) {
  render_result r;
  capnp::MallocMessageBuilder in_msg, out_msg;
  capnp::JsonCodec codec;
  auto in = in_msg.initRoot<JsonValue>();
  KJ_IF_MAYBE (e, kj::runCatchingExceptions(
                      [&]() { codec.decodeRaw(kj::ArrayPtr<const char>(base.data(), base.size()), in); })) {
    r.error = "the config file is not valid JSON: " + std::string(e->getDescription().cStr());
    return r;
  }
  if (!in.asReader().isObject()) {
    r.error = "the config file does not hold a JSON object";
    return r;
  }
  auto root = in.asReader();
  const mapping_state* m = change.mapping;
  std::vector<const view_entry*> views;
  if (m)
    for (auto& e : m->views)
      if (e.target.empty()) views.push_back(&e);
  bool lus_touched = !change.added_lus.empty() || !change.removed_lus.empty() || !change.modified_lus.empty();
  bool targets_touched =
      !change.added_targets.empty() || !change.removed_targets.empty() || !change.modified_targets.empty();
  bool seen_targets = false;
  // replaced_keys, decoded; a value that is not JSON is the caller's bug.
  std::vector<std::pair<std::string, kj::Own<capnp::MallocMessageBuilder>>> replacements;
  for (auto& replaced : change.replaced_keys) {
    const std::string& key = replaced.first;
    const std::string& json = replaced.second;  // a reference, not a binding: the lambda below captures it
    auto msg = kj::heap<capnp::MallocMessageBuilder>();
    auto root_value = msg->initRoot<JsonValue>();
    KJ_IF_MAYBE (e, kj::runCatchingExceptions(
                        [&]() { codec.decodeRaw(kj::ArrayPtr<const char>(json.data(), json.size()), root_value); })) {
      r.error = "internal: the new " + key + " is not JSON: " + std::string(e->getDescription().cStr());
      return r;
    }
    replacements.emplace_back(key, kj::mv(msg));
  }
  std::vector<std::string> seen_replaced;
  auto replaced = [&](const std::string& key) -> std::optional<JsonValue::Reader> {
    for (auto& [k, msg] : replacements)
      if (k == key) {
        seen_replaced.push_back(key);
        return msg->getRoot<JsonValue>().asReader();
      }
    return std::nullopt;
  };

  object_writer o;
  bool seen_hg = false, seen_tg = false, seen_views = false, seen_lus = false, seen_tpgs = false, seen_libs = false;
  const auto* tpgs = change.tpgs;
  const auto* libs = change.libraries;
  for (auto f : root.getObject()) {
    std::string key = str(f.getName());
    auto value = f.getValue();
    if (m && key == "hostGroups") {
      seen_hg = true;
      o.add(key, [m](JsonValue::Builder b) { write_groups(b, m->host_groups); });
    } else if (m && key == "targetGroups") {
      seen_tg = true;
      o.add(key, [m](JsonValue::Builder b) { write_groups(b, m->target_groups); });
    } else if (m && key == "views") {
      seen_views = true;
      o.add(key, [&views](JsonValue::Builder b) { write_views(b, views, true); });
    } else if ((m || targets_touched) && key == "targets" && value.isArray()) {
      seen_targets = true;
      o.add(key, [&change, value](JsonValue::Builder b) { write_targets(b, value, change); });
    } else if (auto rep = replaced(key)) {
      o.copy(key, *rep);
    } else if (tpgs && key == "targetPortGroups") {
      seen_tpgs = true;
      o.add(key, [tpgs](JsonValue::Builder b) { write_tpgs(b, *tpgs); });
    } else if (libs && key == "libraries") {
      seen_libs = true;
      o.add(key, [libs](JsonValue::Builder b) { write_libraries(b, *libs); });
    } else if (lus_touched && key == "logicalUnits") {
      seen_lus = true;
      o.add(key, [&change, value](JsonValue::Builder b) { write_lus(b, value, change); });
    } else {
      o.copy(key, value);
    }
  }
  if (lus_touched && !seen_lus)
    o.add("logicalUnits", [&change](JsonValue::Builder b) { write_lus(b, std::nullopt, change); });
  if (m && !seen_hg && !m->host_groups.empty())
    o.add("hostGroups", [m](JsonValue::Builder b) { write_groups(b, m->host_groups); });
  if (m && !seen_tg && !m->target_groups.empty())
    o.add("targetGroups", [m](JsonValue::Builder b) { write_groups(b, m->target_groups); });
  if (m && !seen_views && !views.empty())
    o.add("views", [&views](JsonValue::Builder b) { write_views(b, views, true); });
  if (libs && !seen_libs && !libs->empty())
    o.add("libraries", [libs](JsonValue::Builder b) { write_libraries(b, *libs); });
  if (targets_touched && !seen_targets)
    o.add("targets", [&change](JsonValue::Builder b) { write_targets(b, std::nullopt, change); });
  for (auto& [key, msg] : replacements)
    if (std::find(seen_replaced.begin(), seen_replaced.end(), key) == seen_replaced.end())
      o.copy(key, msg->getRoot<JsonValue>().asReader());
  if (tpgs && !seen_tpgs && !tpgs->empty())
    o.add("targetPortGroups", [tpgs](JsonValue::Builder b) { write_tpgs(b, *tpgs); });

  auto out = out_msg.initRoot<JsonValue>();
  o.write(out);
  codec.setPrettyPrint(true);
  auto text = codec.encodeRaw(out.asReader());
  r.text = std::string(text.cStr(), text.size());
  r.text += "\n";
  return r;
}

}  // namespace stmfd::admin
