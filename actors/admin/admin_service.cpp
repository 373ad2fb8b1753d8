#include "actors/admin/admin_service.hpp"

#include <algorithm>
#include <filesystem>

#include "actors/admin/config_writer.hpp"
#include "wire/config/names.hpp"

namespace stmfd::admin {
namespace {

namespace fs = std::filesystem;

status fail(error_code c, std::string m) { return {c, std::move(m)}; }

// The loader's messages start with the file name: the admin client knows
// which file it is, the key path is what helps.
std::string without_origin(const std::string& msg, const std::string& origin) {
  if (msg.rfind(origin + ": ", 0) == 0) return msg.substr(origin.size() + 2);
  return msg;
}

// mapping.hpp's messages, sorted into wire/admin.capnp's error codes.
status from_mapping_error(const std::string& m) {
  if (m.rfind("there is no", 0) == 0 || m.find("is not a member of") != std::string::npos)
    return fail(error_code::NOT_FOUND, m);
  if (m.find("already exists") != std::string::npos) return fail(error_code::ALREADY_EXISTS, m);
  if (m.find("is already a member of") != std::string::npos && m.find("at most one") == std::string::npos)
    return fail(error_code::ALREADY_EXISTS, m);
  return fail(error_code::CONFLICT, m);
}

// The loader's messages about a new LU: a taken guid or path is a
// duplicate, anything else a bad value.
status from_load_error(const std::string& m) {
  if (m.find("is already the guid of") != std::string::npos || m.find("is already the backing of") != std::string::npos)
    return fail(error_code::ALREADY_EXISTS, m);
  return fail(error_code::INVALID_ARGUMENT, m);
}

bool is_guid(const std::string& s) {
  return s.size() == 32 && std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(uint8_t(c)); });
}

std::string upper(std::string s) {
  for (auto& c : s) c = char(std::toupper(uint8_t(c)));
  return s;
}

// Whether `path` (absolute, normal) lies inside `dir` (absolute, normal).
bool inside(const fs::path& path, const fs::path& dir) {
  auto rel = path.lexically_relative(dir);
  return !rel.empty() && *rel.begin() != ".." && rel != ".";
}

mapping_state state_of(const mapping& m) { return {m.host_groups(), m.target_groups(), m.views(), m.lus()}; }

}  // namespace

std::string hex_guid(const lu_identity& id) {
  static const char* digits = "0123456789ABCDEF";
  std::string s;
  for (uint8_t b : id.naa) {
    s += digits[b >> 4];
    s += digits[b & 15];
  }
  return s;
}

admin_service::admin_service(std::string config_path, std::string text, stmf_link& stmf)
    : path_(std::move(config_path)), text_(std::move(text)), stmf_(stmf) {
  std::error_code ec;
  base_dir_ = fs::absolute(fs::path(path_), ec).parent_path().string();
  loaded_ = wire::cfg::load_text(text_, path_, base_dir_);
  if (!loaded_.ok) {
    load_error_ = loaded_.error;
    return;
  }
  auto defs = definitions_from(loaded_.root());
  if (!defs.defs) {
    load_error_ = defs.error;
    return;
  }
  views_ = defs.defs->views;
  lus_ = defs.defs->lus;
  alua_ = defs.defs->alua;
}

std::string admin_service::resolve_lu(const std::string& name_or_guid) const {
  for (auto& d : lus_)
    if (d.name == name_or_guid) return d.name;
  if (is_guid(name_or_guid))
    for (auto& d : lus_)
      if (hex_guid(d.id) == upper(name_or_guid)) return d.name;
  return {};
}

status admin_service::stage(const document_change& change, staged& out) const {
  if (!load_error_.empty()) return fail(error_code::FAILED, "the daemon's config did not load: " + load_error_);
  auto rendered = render_config(text_, change);
  if (!rendered.error.empty()) return fail(error_code::FAILED, path_ + ": " + rendered.error);
  auto next = wire::cfg::load_text(rendered.text, path_, base_dir_);
  if (!next.ok) return from_load_error(without_origin(next.error, path_));
  auto defs = definitions_from(next.root());
  if (!defs.defs) return fail(error_code::CONFLICT, defs.error);
  out.text = std::move(rendered.text);
  out.loaded = std::move(next);
  out.defs = std::move(defs.defs);
  return {};
}

status admin_service::install(staged& s) {
  if (auto err = write_file_atomically(path_, s.text); !err.empty()) return fail(error_code::FAILED, err);
  text_ = std::move(s.text);
  loaded_ = std::move(s.loaded);
  views_ = s.defs->views;
  lus_ = s.defs->lus;
  alua_ = s.defs->alua;
  return {};
}

status admin_service::commit(const document_change& change) {
  staged s;
  if (auto st = stage(change, s); !st.ok()) return st;
  return install(s);
}

status admin_service::existing_in_data_dir(const std::string& path, fs::path& real) const {
  fs::path data_dir(std::string(loaded_.root().getDataDir()));
  fs::path p = (data_dir / path).lexically_normal();
  // Symlinks followed on both sides: a link inside dataDir to a file
  // elsewhere is outside too.
  std::error_code ec;
  real = fs::canonical(p, ec);
  if (ec) return fail(error_code::NOT_FOUND, "cannot import " + p.string() + ": " + ec.message());
  fs::path real_dir = fs::canonical(data_dir, ec);
  if (ec) real_dir = data_dir;
  if (!inside(real, real_dir))
    return fail(error_code::PERMISSION_DENIED,
                "file " + real.string() + " is outside the data directory " + real_dir.string());
  return {};
}

template <class Op>
status admin_service::edit_mapping(Op&& op) {
  mapping next = views_;
  if (auto err = op(next)) return from_mapping_error(*err);
  auto s = state_of(next);
  if (auto st = commit(document_change{.mapping = &s}); !st.ok()) return st;
  if (auto err = stmf_.apply_views(views_); !err.empty())
    return fail(error_code::FAILED, "saved in the config file but not applied to the running daemon: " + err);
  return {};
}

// --- groups ------------------------------------------------------------------

status admin_service::list_groups(bool hosts, std::vector<group_listing>& out) const {
  if (hosts)
    for (auto& g : views_.host_groups()) out.push_back({g.name, g.members});
  else
    for (auto& g : views_.target_groups()) out.push_back({g.name, g.members});
  return {};
}

status admin_service::create_group(bool hosts, const std::string& name) {
  if (auto err = wire::cfg::check_group_name(name); !err.empty())
    return fail(error_code::INVALID_ARGUMENT, "group name '" + name + "': " + err);
  return edit_mapping([&](mapping& m) { return hosts ? m.create_host_group(name) : m.create_target_group(name); });
}

status admin_service::delete_group(bool hosts, const std::string& name) {
  return edit_mapping([&](mapping& m) { return hosts ? m.delete_host_group(name) : m.delete_target_group(name); });
}

status admin_service::add_member(bool hosts, const std::string& group, const std::string& member) {
  if (auto err = wire::cfg::check_port_name(member); !err.empty())
    return fail(error_code::INVALID_ARGUMENT, "'" + member + "': " + err);
  return edit_mapping([&](mapping& m) {
    return hosts ? m.add_host_group_member(group, member) : m.add_target_group_member(group, member);
  });
}

status admin_service::remove_member(bool hosts, const std::string& group, const std::string& member) {
  return edit_mapping([&](mapping& m) {
    return hosts ? m.remove_host_group_member(group, member) : m.remove_target_group_member(group, member);
  });
}

// --- views -------------------------------------------------------------------

status admin_service::add_view(view_entry view, bool lun_given, uint16_t& lun) {
  std::string lu = resolve_lu(view.lu);
  if (lu.empty()) return fail(error_code::NOT_FOUND, "there is no LU '" + view.lu + "'");
  view.lu = lu;
  if (!view.target.empty()) return fail(error_code::INVALID_ARGUMENT, "a view names a target group, not a target");
  if (lun_given && view.lun > max_lun)
    return fail(error_code::INVALID_ARGUMENT,
                "LUN " + std::to_string(view.lun) + " is out of range (0.." + std::to_string(max_lun) + ")");
  auto has = [](const auto& groups, const std::string& n) {
    return std::any_of(groups.begin(), groups.end(), [&](auto& g) { return g.name == n; });
  };
  if (!view.host_group.empty() && !has(views_.host_groups(), view.host_group))
    return fail(error_code::NOT_FOUND, "there is no host group '" + view.host_group + "'");
  if (!view.target_group.empty() && !has(views_.target_groups(), view.target_group))
    return fail(error_code::NOT_FOUND, "there is no target group '" + view.target_group + "'");
  uint16_t got = view.lun;
  auto st = edit_mapping([&](mapping& m) -> std::optional<std::string> {
    if (lun_given) return m.add_view(view);
    auto r = m.add_view(view, auto_lun);
    got = r.lun;
    return r.error;
  });
  if (st.ok()) lun = got;
  return st;
}

status admin_service::remove_view(view_entry view) {
  std::string lu = resolve_lu(view.lu);
  if (lu.empty()) return fail(error_code::NOT_FOUND, "there is no LU '" + view.lu + "'");
  return edit_mapping(
      [&](mapping& m) { return m.remove_view(lu, view.host_group, view.target_group, view.target, view.lun); });
}

status admin_service::list_views(const std::string& lu_name, std::vector<view_entry>& out) {
  std::string lu;
  if (!lu_name.empty()) {
    lu = resolve_lu(lu_name);
    if (lu.empty()) return fail(error_code::NOT_FOUND, "there is no LU '" + lu_name + "'");
  }
  for (auto& v : views_.views())
    if (lu.empty() || v.lu == lu) out.push_back(v);
  return {};
}

// --- LUs ---------------------------------------------------------------------

status admin_service::list_lus(const std::string& name, std::vector<lu_listing>& out) {
  std::string only;
  if (!name.empty()) {
    only = resolve_lu(name);
    if (only.empty()) return fail(error_code::NOT_FOUND, "there is no LU '" + name + "'");
  }
  // A state is reported only when STMF told it: an LU is "offline" because
  // it is, never because the framework did not answer.
  std::string error;
  auto states = stmf_.lu_states(error);
  if (!error.empty()) return fail(error_code::FAILED, "cannot tell the LUs' states: " + error);
  for (auto& d : lus_) {
    if (!only.empty() && d.name != only) continue;
    lu_listing l{d, lu_state::offline, "unknown to the running daemon", 0};
    for (auto& s : states)
      if (s.name == d.name) {
        l.state = s.state;
        l.reason = s.reason;
      }
    for (auto& v : views_.views()) l.view_count += v.lu == d.name;
    out.push_back(std::move(l));
  }
  return {};
}

status admin_service::create_lu(const lu_request& req, std::string& guid) {
  if (!load_error_.empty()) return fail(error_code::FAILED, "the daemon's config did not load: " + load_error_);
  if (auto err = wire::cfg::check_lu_name(req.name); !err.empty())
    return fail(error_code::INVALID_ARGUMENT, "LU name '" + req.name + "': " + err);
  if (!resolve_lu(req.name).empty()) return fail(error_code::ALREADY_EXISTS, "LU '" + req.name + "' already exists");
  if (req.backing == "file") {
    fs::path data_dir(std::string(loaded_.root().getDataDir()));
    fs::path p = (data_dir / req.path).lexically_normal();
    if (req.path.empty()) return fail(error_code::INVALID_ARGUMENT, "a file LU needs a path");
    if (!inside(p, data_dir))
      return fail(error_code::PERMISSION_DENIED,
                  "backing file " + p.string() + " is outside the data directory " + data_dir.string());
  } else if (req.backing == "block") {
    if (fs::path(req.path).lexically_normal().string().rfind("/dev/", 0) != 0)
      return fail(error_code::PERMISSION_DENIED, "a block LU's device must be under /dev/, not '" + req.path + "'");
  } else if (req.backing != "ram") {
    return fail(error_code::INVALID_ARGUMENT, "backing must be file, block or ram, not '" + req.backing + "'");
  }
  // Validate against the whole config before anything is created.
  auto rendered = render_config(text_, document_change{.added_lus = {req}});
  if (!rendered.error.empty()) return fail(error_code::FAILED, rendered.error);
  auto next = wire::cfg::load_text(rendered.text, path_, base_dir_);
  if (!next.ok) return from_load_error(without_origin(next.error, path_));
  auto defs = definitions_from(next.root());
  if (!defs.defs) return fail(error_code::CONFLICT, defs.error);
  const lu_definition* def = nullptr;
  for (auto& d : defs.defs->lus)
    if (d.name == req.name) def = &d;
  if (def == nullptr) return fail(error_code::FAILED, "internal: the new LU is missing from the rendered config");
  // The store first (it may not open: then nothing is kept), then the file.
  if (auto err = stmf_.create_lu(*def); !err.empty()) return fail(error_code::FAILED, err);
  if (auto err = write_file_atomically(path_, rendered.text); !err.empty()) {
    stmf_.delete_lu(req.name);
    return fail(error_code::FAILED, err);
  }
  guid = hex_guid(def->id);
  text_ = std::move(rendered.text);
  loaded_ = std::move(next);
  views_ = defs.defs->views;
  lus_ = defs.defs->lus;
  stmf_.apply_views(views_);  // STMF's mapping knows the LU now (no nexus changes)
  return {};
}

status admin_service::delete_lu(const std::string& name_or_guid) {
  std::string lu = resolve_lu(name_or_guid);
  if (lu.empty()) return fail(error_code::NOT_FOUND, "there is no LU '" + name_or_guid + "'");
  mapping next = views_;
  if (auto err = next.remove_lu(lu)) return from_mapping_error(*err);
  auto s = state_of(next);
  target_port_groups tpgs = alua_;  // its per-LU ALUA states go with it
  tpgs.forget_lu(lu);
  document_change change{.mapping = &s, .removed_lus = {lu}};
  if (!alua_.groups().empty()) change.tpgs = &tpgs.groups();
  if (auto st = commit(change); !st.ok()) return st;
  std::string err = stmf_.apply_views(views_);
  if (auto e2 = stmf_.delete_lu(lu); err.empty()) err = e2;
  if (!err.empty())
    return fail(error_code::FAILED, "deleted from the config file but not from the running daemon: " + err);
  return {};
}

status admin_service::set_lu_online(const std::string& name_or_guid, bool online) {
  std::string lu = resolve_lu(name_or_guid);
  if (lu.empty()) return fail(error_code::NOT_FOUND, "there is no LU '" + name_or_guid + "'");
  if (auto err = stmf_.set_lu_online(lu, online); !err.empty()) return fail(error_code::FAILED, err);
  return {};
}

status admin_service::list_targets(port_summary_list& out) {
  std::string error;
  out = stmf_.ports(error);
  if (!error.empty()) return fail(error_code::FAILED, "cannot list the targets: " + error);
  return {};
}

}  // namespace stmfd::admin
