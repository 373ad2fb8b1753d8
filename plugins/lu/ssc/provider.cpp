#include "plugins/lu/ssc/provider.hpp"

#include "plugins/lu/ssc/drive.hpp"
#include "plugins/lu/ssc/media/media_admin.hpp"

namespace stmfd::ssc {

lu_provider provider() {
  lu_provider p;
  p.name = "ssc";
  p.removable_media = true;
  p.make = [](const lu_make_args& a) -> std::unique_ptr<lu_core> {
    // A cartridge needs room for its headers and an end-of-data record. A
    // library's drive (no path) starts empty: a library lends it cartridges.
    if (!a.def.path.empty() && a.def.size_bytes < media::records_offset + media::record_overhead) return nullptr;
    if (a.def.barcode.size() > media::barcode_max) return nullptr;
    media::header blank;
    blank.capacity = a.def.size_bytes;
    blank.barcode = a.def.barcode;
    lu_identity id = a.def.id;
    auto core = std::make_unique<drive>(std::move(id), std::move(blank));
    core->restore(a.saved);
    return core;
  };
  p.inspect_medium = media::inspect_file;
  p.set_medium_write_protect = media::set_write_protect;
  return p;
}

}  // namespace stmfd::ssc
