// sbdadm modify-lu (wire/admin.capnp Admin.modifyLu) on the admin thread.
#include <algorithm>

#include "actors/admin/admin_service.hpp"
#include "actors/admin/config_writer.hpp"

namespace stmfd::admin {

status admin_service::modify_lu(const std::string& name_or_guid, const lu_request& want) {
  auto fail = [](error_code c, std::string m) { return status{c, std::move(m)}; };
  if (!load_error_.empty()) return fail(error_code::FAILED, "the daemon's config did not load: " + load_error_);
  std::string name = resolve_lu(name_or_guid);
  if (name.empty()) return fail(error_code::NOT_FOUND, "there is no LU '" + name_or_guid + "'");
  auto cur = std::find_if(lus_.begin(), lus_.end(), [&](auto& d) { return d.name == name; });
  if (want.size_bytes != 0 && want.size_bytes < cur->size_bytes)
    return fail(error_code::INVALID_ARGUMENT, "LU '" + name + "': shrinking is refused (" +
                                                  std::to_string(want.size_bytes) + " < " +
                                                  std::to_string(cur->size_bytes) + " bytes)");
  if (want.block_size != 0 && want.block_size != cur->block_size)
    return fail(error_code::INVALID_ARGUMENT, "LU '" + name + "': its block size cannot change");
  if (want.size_bytes > cur->size_bytes && cur->backing != lu_definition::backing_kind::file)
    return fail(error_code::NOT_IMPLEMENTED, "LU '" + name + "': only a file LU can grow online yet");

  lu_entry_fields m = want;
  m.name = name;
  if (m.size_bytes == 0) m.size_bytes = cur->size_bytes;
  auto rendered = render_config(text_, document_change{.modified_lus = {m}});
  if (!rendered.error.empty()) return fail(error_code::FAILED, path_ + ": " + rendered.error);
  auto next = wire::cfg::load_text(rendered.text, path_, base_dir_);
  if (!next.ok) {
    std::string msg = next.error;
    if (msg.rfind(path_ + ": ", 0) == 0) msg.erase(0, path_.size() + 2);
    return fail(error_code::INVALID_ARGUMENT, msg);
  }
  auto defs = definitions_from(next.root());
  if (!defs.defs) return fail(error_code::CONFLICT, defs.error);
  auto def = std::find_if(defs.defs->lus.begin(), defs.defs->lus.end(), [&](auto& d) { return d.name == name; });
  if (def == defs.defs->lus.end()) return fail(error_code::FAILED, "internal: LU '" + name + "' left the config");
  // Live first (the store may not grow: then nothing changed), then the file.
  if (auto err = stmf_.modify_lu(*def); !err.empty()) return fail(error_code::FAILED, err);
  if (auto err = write_file_atomically(path_, rendered.text); !err.empty())
    return fail(error_code::FAILED, "changed in the running daemon but not saved: " + err);
  text_ = std::move(rendered.text);
  loaded_ = std::move(next);
  lus_ = defs.defs->lus;
  return {};
}

}  // namespace stmfd::admin
