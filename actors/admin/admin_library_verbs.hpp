#pragma once
// Helpers the library verbs share (admin_service_library.cpp: libraries,
// drives, listings; admin_service_cartridges.cpp: cartridges). Internal to
// actors/admin.
#include <string>
#include <utility>
#include <vector>

#include "actors/admin/admin_service.hpp"

namespace stmfd::admin::library_verbs {

inline status fail(error_code c, std::string m) { return {c, std::move(m)}; }

inline library_entry* find_library(std::vector<library_entry>& libs, const std::string& name) {
  for (auto& l : libs)
    if (l.name == name) return &l;
  return nullptr;
}

// The library and index of a barcode's cartridge.
inline std::pair<library_entry*, size_t> find_cartridge(std::vector<library_entry>& libs, const std::string& code) {
  for (auto& l : libs)
    for (size_t i = 0; i < l.cartridges.size(); ++i)
      if (l.cartridges[i].barcode == code) return {&l, i};
  return {nullptr, 0};
}

// SMC-3 element type codes (lu_provider.hpp library_element) and the
// changer's element addresses (plugins/lu/smc/element_map.hpp).
constexpr uint8_t type_transport = 1, type_slot = 2, type_ie = 3, type_drive = 4;
constexpr uint16_t ie_base = 0x0010, drive_base = 0x0100, slot_base = 0x1000;

// A place as the changer's element address; an error for one out of range.
inline status address_of(const element_place& at, const library_entry& l, library_change& c) {
  if (at.where == element_place::kind::any) {
    c.to_import_export = false;
    return {};
  }
  const bool slot = at.where == element_place::kind::slot;
  const uint32_t count = slot ? l.slots : l.import_export;
  if (at.number < 1 || at.number > count)
    return fail(error_code::INVALID_ARGUMENT,
                std::string(slot ? "slot " : "import/export element ") + std::to_string(at.number) +
                    " is out of range for library '" + l.name + "' (" +
                    (count ? "1.." + std::to_string(count) : std::string("it has none")) + ")");
  c.place = uint16_t((slot ? slot_base : ie_base) + at.number - 1);
  return {};
}

}  // namespace stmfd::admin::library_verbs
