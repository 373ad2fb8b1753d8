// sbdadm import-lu (wire/admin.capnp Admin.importLu) on the admin thread.
#include <sys/stat.h>

#include <filesystem>

#include "actors/admin/admin_service.hpp"

namespace stmfd::admin {

namespace fs = std::filesystem;

status admin_service::import_lu(const std::string& path, const std::string& name, std::string& guid) {
  auto fail = [](error_code c, std::string m) { return status{c, std::move(m)}; };
  if (!load_error_.empty()) return fail(error_code::FAILED, "the daemon's config did not load: " + load_error_);
  if (path.empty()) return fail(error_code::INVALID_ARGUMENT, "import-lu needs the path of an existing file");
  fs::path real;
  if (auto st = existing_in_data_dir(path, real); !st.ok()) return st;
  fs::path p = fs::path(path);
  struct stat st {};
  if (::stat(real.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
    return fail(error_code::INVALID_ARGUMENT, real.string() + " is not a regular file");
  uint64_t size = uint64_t(st.st_size) - uint64_t(st.st_size) % 512;
  if (size == 0) return fail(error_code::INVALID_ARGUMENT, real.string() + " holds less than one 512-byte block");

  lu_request req;
  req.name = name.empty() ? p.stem().string() : name;
  req.backing = "file";
  req.path = path;
  req.size_bytes = size;
  req.create = false;
  return create_lu(req, guid);
}

}  // namespace stmfd::admin
