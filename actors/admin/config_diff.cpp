#include "actors/admin/config_diff.hpp"

#include <algorithm>

#include <capnp/compat/json.h>
#include <capnp/dynamic.h>
#include <capnp/message.h>

namespace stmfd::admin {
namespace {

using wire::cfg::Config;

// A value's canonical JSON (equal text: equal value).
std::string json_of(capnp::DynamicValue::Reader v, capnp::Type t) {
  capnp::JsonCodec codec;
  return std::string(codec.encode(v, t).cStr());
}

// Targets compared without their luns (views, applied live).
std::string targets_without_luns(Config::Reader c) {
  capnp::MallocMessageBuilder m;
  auto copy = m.initRoot<Config>();
  copy.setTargets(c.getTargets());
  for (auto t : copy.getTargets()) t.initLuns(0);
  capnp::JsonCodec codec;
  return std::string(codec.encode(copy.asReader().getTargets()).cStr());
}

bool live_key(kj::StringPtr name) {
  return name == "logicalUnits" || name == "hostGroups" || name == "targetGroups" || name == "views";
}

std::string view_line(const view_entry& v) {
  std::string targets = !v.target.empty() ? "target:" + v.target : v.target_group.empty() ? "*" : v.target_group;
  return "view " + v.lu + " host=" + (v.host_group.empty() ? "*" : v.host_group) + " targets=" + targets +
         " lun=" + std::to_string(v.lun);
}

bool same_view(const view_entry& a, const view_entry& b) {
  return a.lu == b.lu && a.host_group == b.host_group && a.target_group == b.target_group && a.target == b.target &&
         a.lun == b.lun;
}

// Groups (host or target): added/removed groups, then member changes.
template <class Group>
void diff_groups(const std::vector<Group>& before, const std::vector<Group>& after, const char* noun,
                 config_diff& out) {
  auto find = [](const std::vector<Group>& gs, const std::string& n) -> const Group* {
    for (auto& g : gs)
      if (g.name == n) return &g;
    return nullptr;
  };
  auto has = [](const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  for (auto& g : before)
    if (!find(after, g.name)) out.lines.push_back(std::string("- ") + noun + " " + g.name);
  for (auto& g : after) {
    const Group* old = find(before, g.name);
    if (!old) out.lines.push_back(std::string("+ ") + noun + " " + g.name);
    for (auto& m : g.members)
      if (!old || !has(old->members, m)) out.lines.push_back(std::string("+ ") + noun + "-member " + g.name + " " + m);
    if (old)
      for (auto& m : old->members)
        if (!has(g.members, m)) out.lines.push_back(std::string("- ") + noun + "-member " + g.name + " " + m);
  }
}

}  // namespace

config_diff diff_configs(Config::Reader before, const stmf_definitions& before_defs, Config::Reader after,
                         const stmf_definitions& after_defs) {
  config_diff out;
  // Keys that cannot change live.
  auto b = capnp::toDynamic(before), a = capnp::toDynamic(after);
  for (auto field : b.getSchema().getFields()) {
    auto name = field.getProto().getName();
    if (live_key(name)) continue;
    bool differs = name == "targets" ? targets_without_luns(before) != targets_without_luns(after)
                                     : json_of(b.get(field), field.getType()) != json_of(a.get(field), field.getType());
    if (differs) {
      out.not_live.push_back(name);
      out.lines.push_back("! " + std::string(name.cStr()) + ": changed; needs a restart (not applied live)");
    }
  }
  // LUs: by name; an existing one whose entry changed needs a restart.
  auto entry_of = [](Config::Reader c, const std::string& n) -> std::string {
    for (auto lu : c.getLogicalUnits())
      if (lu.getName() == n) {
        capnp::JsonCodec codec;
        return codec.encode(lu).cStr();
      }
    return {};
  };
  for (auto& d : before_defs.lus) {
    bool kept = std::any_of(after_defs.lus.begin(), after_defs.lus.end(), [&](auto& x) { return x.name == d.name; });
    if (!kept) {
      out.removed_lus.push_back(d.name);
      out.lines.push_back("- lu " + d.name);
    } else if (entry_of(before, d.name) != entry_of(after, d.name)) {
      out.not_live.push_back("logicalUnits." + d.name);
      out.lines.push_back("! lu " + d.name + ": definition changed; needs a restart (or delete-lu and create-lu)");
    }
  }
  for (auto& d : after_defs.lus) {
    bool existed =
        std::any_of(before_defs.lus.begin(), before_defs.lus.end(), [&](auto& x) { return x.name == d.name; });
    if (!existed) {
      out.added_lus.push_back(d.name);
      out.lines.push_back("+ lu " + d.name);
    }
  }
  // The mapping.
  size_t mark = out.lines.size();
  diff_groups(before_defs.views.host_groups(), after_defs.views.host_groups(), "host-group", out);
  diff_groups(before_defs.views.target_groups(), after_defs.views.target_groups(), "target-group", out);
  for (auto& v : before_defs.views.views())
    if (std::none_of(after_defs.views.views().begin(), after_defs.views.views().end(),
                     [&](auto& x) { return same_view(v, x); }))
      out.lines.push_back("- " + view_line(v));
  for (auto& v : after_defs.views.views())
    if (std::none_of(before_defs.views.views().begin(), before_defs.views.views().end(),
                     [&](auto& x) { return same_view(v, x); }))
      out.lines.push_back("+ " + view_line(v));
  out.mapping_changed = out.lines.size() > mark || !out.added_lus.empty() || !out.removed_lus.empty();
  return out;
}

}  // namespace stmfd::admin
