#include "plugins/lu/smc/provider.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "io/durable_file.hpp"
#include "plugins/lu/smc/changer.hpp"
#include "plugins/lu/ssc/media/cartridge.hpp"

namespace stmfd::smc {

namespace {

namespace fs = std::filesystem;

std::string write_blank(const library_definition::cartridge& c) {
  ssc::media::header h;
  h.capacity = c.capacity;
  h.barcode = c.barcode;
  h.load_count = 1;
  const auto image = ssc::media::blank_image(h);
  const std::string tmp = c.path + ".new";
  int fd = ::open(tmp.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0) return tmp + ": " + std::strerror(errno);
  size_t done = 0;
  while (done < image.size()) {
    ssize_t n = ::write(fd, image.data() + done, image.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return tmp + ": " + std::strerror(err);
    }
    done += size_t(n);
  }
  const int synced = io::durable::sync_file(fd);
  ::close(fd);
  if (synced != 0) return tmp + ": " + std::strerror(-synced);
  if (::rename(tmp.c_str(), c.path.c_str()) != 0) return c.path + ": " + std::strerror(errno);
  // The cartridge exists once the directory naming it is on stable storage.
  if (int e = io::durable::sync_parent(c.path); e != 0) return c.path + ": " + std::strerror(-e);
  return {};
}

}  // namespace

std::string create_cartridges(const library_definition& library) {
  for (const auto& c : library.cartridges) {
    std::error_code ec;
    if (fs::exists(c.path, ec)) continue;
    if (int e = io::durable::create_directories(fs::path(c.path).parent_path().string()); e != 0)
      return c.path + ": " + std::strerror(-e);
    if (auto err = write_blank(c); !err.empty()) return err;
  }
  return {};
}

lu_provider provider() {
  lu_provider p;
  p.name = "smc";
  p.no_store = true;
  p.make = [](const lu_make_args& a) -> std::unique_ptr<lu_core> {
    const auto& lib = a.def.library;
    if (!lib || lib->cartridges.size() > lib->slots || lib->slots > max_slots || lib->slots == 0 ||
        lib->import_export > max_import_export || lib->drives.size() > max_drives)
      return nullptr;
    for (const auto& c : lib->cartridges)
      if (c.barcode.empty() || c.barcode.size() > ssc::media::barcode_max ||
          c.capacity < ssc::media::records_offset + ssc::media::record_overhead)
        return nullptr;
    if (!create_cartridges(*lib).empty()) return nullptr;
    auto core = std::make_unique<changer>(a.def.id, lib);
    // The state file's map, then the drives' real contents over it (a
    // changer restarting alone finds its drives as they are).
    if (a.persisted && !a.persisted->empty()) core->restore(*a.persisted);
    core->adopt_drives(a.drive_media ? *a.drive_media : std::vector<std::string>{});
    return core;
  };
  p.create_media = create_cartridges;
  return p;
}

}  // namespace stmfd::smc
