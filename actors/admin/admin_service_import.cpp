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
  fs::path data_dir(std::string(loaded_.root().getDataDir()));
  fs::path p = (data_dir / path).lexically_normal();
  // Symlinks followed on both sides: a link inside dataDir to a file
  // elsewhere is outside too.
  std::error_code ec;
  fs::path real = fs::canonical(p, ec);
  if (ec) return fail(error_code::NOT_FOUND, "cannot import " + p.string() + ": " + ec.message());
  fs::path real_dir = fs::canonical(data_dir, ec);
  if (ec) real_dir = data_dir;
  auto rel = real.lexically_relative(real_dir);
  if (rel.empty() || *rel.begin() == ".." || rel == ".")
    return fail(error_code::PERMISSION_DENIED,
                "backing file " + real.string() + " is outside the data directory " + real_dir.string());
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
