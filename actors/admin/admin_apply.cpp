// The transactional apply and the SIGHUP reload (admin_service.hpp).
#include <fstream>
#include <sstream>

#include "actors/admin/admin_service.hpp"
#include "actors/admin/config_diff.hpp"
#include "actors/admin/config_writer.hpp"
#include "actors/common/log.hpp"

namespace stmfd::admin {

status admin_service::apply(const std::string& text, bool dry_run, std::vector<std::string>& diff) {
  if (!load_error_.empty()) return {error_code::FAILED, "the daemon's config did not load: " + load_error_};
  auto next = wire::cfg::load_text(text, path_, base_dir_);
  if (!next.ok) {
    std::string m = next.error;
    if (m.rfind(path_ + ": ", 0) == 0) m = m.substr(path_.size() + 2);
    return {error_code::INVALID_ARGUMENT, "the desired configuration is not valid: " + m};
  }
  auto defs = definitions_from(next.root());
  if (!defs.defs) return {error_code::CONFLICT, "the desired configuration is not valid: " + defs.error};
  auto current = definitions_from(loaded_.root());
  if (!current.defs) return {error_code::FAILED, "the committed configuration does not load: " + current.error};
  auto d = diff_configs(loaded_.root(), *current.defs, next.root(), *defs.defs);
  diff = d.lines;
  if (!d.not_live.empty()) {
    std::string keys;
    for (auto& k : d.not_live) keys += (keys.empty() ? "" : ", ") + k;
    return {error_code::CONFLICT, "these changes need a restart and nothing was applied: " + keys};
  }
  if (dry_run || d.empty()) return {};

  // New LUs first: a store that cannot be opened undoes what was started.
  std::vector<std::string> started;
  for (auto& name : d.added_lus)
    for (auto& def : defs.defs->lus)
      if (def.name == name) {
        if (auto err = stmf_.create_lu(def); !err.empty()) {
          for (auto& s : started) stmf_.delete_lu(s);
          return {error_code::FAILED, "LU '" + name + "': " + err + " (nothing was applied)"};
        }
        started.push_back(name);
      }
  if (text != text_) {
    if (auto err = write_file_atomically(path_, text); !err.empty()) {
      for (auto& s : started) stmf_.delete_lu(s);
      return {error_code::FAILED, err + " (nothing was applied)"};
    }
  }
  text_ = text;
  loaded_ = std::move(next);
  views_ = defs.defs->views;
  lus_ = defs.defs->lus;
  std::string err;
  if (d.mapping_changed) err = stmf_.apply_views(views_);
  for (auto& name : d.removed_lus)
    if (auto e = stmf_.delete_lu(name); err.empty()) err = e;
  if (!err.empty())
    return {error_code::FAILED, "committed to the config file but not fully applied to the running daemon: " + err};
  return {};
}

status admin_service::reload() {
  std::ifstream in(path_, std::ios::binary);
  if (!in) return {error_code::FAILED, "cannot read " + path_};
  std::ostringstream text;
  text << in.rdbuf();
  std::vector<std::string> diff;
  auto st = apply(text.str(), false, diff);
  for (auto& line : diff) log::info("reload: {}", line);
  if (st.ok())
    log::info("reload of {}: {} change(s) applied", path_, diff.size());
  else
    log::error("reload of {} refused: {}", path_, st.message);
  return st;
}

}  // namespace stmfd::admin
