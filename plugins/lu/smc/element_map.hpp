#pragma once
// The element map of a virtual tape library (SMC-3 4.2): one medium
// transport element, the storage elements (slots), the import/export
// elements and the data transfer elements (the library's drive LUs, in
// element order), each empty or holding one cartridge. Pure: no SCSI, no
// I/O. The addresses are fixed by type (the Element Address Assignment
// mode page reports them):
//
//   medium transport   0000h           (1)
//   import/export      0010h + i       (at most 240)
//   data transfer      0100h + i       (at most 3840)
//   storage            1000h + i       (at most 4096)
//
// Elements are kept in ascending address order, which is also the order
// READ ELEMENT STATUS reports them in.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace stmfd::smc {

// SMC-3 6.10 Table 26: ELEMENT TYPE CODE.
enum class element_type : uint8_t { all = 0, transport = 1, storage = 2, import_export = 3, data_transfer = 4 };

constexpr uint16_t transport_base = 0x0000;
constexpr uint16_t import_export_base = 0x0010;
constexpr uint16_t drive_base = 0x0100;
constexpr uint16_t slot_base = 0x1000;
constexpr uint32_t max_import_export = drive_base - import_export_base;
constexpr uint32_t max_drives = slot_base - drive_base;
constexpr uint32_t max_slots = 0x1000;

struct element {
  element_type type = element_type::storage;
  uint16_t address = 0;
  int cartridge = -1;  // index into the map's cartridges; -1: empty
  // SMC-3 6.10.3: the storage element the cartridge was last moved from
  // (none for one that never moved).
  std::optional<uint16_t> source;
  bool full() const { return cartridge >= 0; }
};

struct layout {
  uint32_t slots = 0;
  uint32_t import_export = 0;
  uint32_t drives = 0;
};

// Why a move cannot happen (the handlers turn these into sense).
enum class move_error : uint8_t { none, invalid_address, source_empty, destination_full };

class element_map {
 public:
  // Cartridges (their barcodes) are placed in slots 0, 1, ... in order;
  // callers guarantee there are no more than slots.
  element_map(layout l, std::vector<std::string> barcodes);

  std::span<const element> elements() const { return elements_; }
  const element* find(uint16_t address) const;
  element* find(uint16_t address);
  uint16_t first_address(element_type t) const;
  uint32_t count(element_type t) const;
  const std::string& barcode(int cartridge) const { return barcodes_[size_t(cartridge)]; }
  size_t cartridge_count() const { return barcodes_.size(); }
  // The data transfer element index of an address (nullopt: not a drive).
  std::optional<uint32_t> drive_index(uint16_t address) const;
  // The element holding the cartridge with this barcode, if any.
  const element* holding(const std::string& barcode) const;

  // A move of the medium at src to dst (neither the transport). check()
  // answers whether it can happen; move() performs a checked move and
  // records the source storage element (SMC-3 6.10.3: the slot it came
  // from, kept while it travels through drives and import/export).
  move_error check(uint16_t src, uint16_t dst) const;
  void move(uint16_t src, uint16_t dst);
  // SMC-3 6.2 EXCHANGE MEDIUM: the medium at src goes to dst1 and the one
  // that was at dst1 to dst2 (which may be src: a swap). check_exchange()
  // answers whether it can happen: every address an element other than
  // the transport, src and dst1 distinct and both full (source_empty), dst2
  // empty unless it is src (destination_full). exchange() performs a
  // checked exchange; the source storage elements follow as for move().
  move_error check_exchange(uint16_t src, uint16_t dst1, uint16_t dst2) const;
  void exchange(uint16_t src, uint16_t dst1, uint16_t dst2);

  // The map as text ("stmfd-library 1", then one line per full element:
  // address, source address or "-", barcode), and back. restore() places
  // each known barcode where the text says, drives included (the caller
  // then settles the drive elements with adopt_drives(): what the drives
  // really hold wins); cartridges the text does not name (new in the
  // config) go to the first empty slot, then import/export element. False
  // (the map unchanged) when the text is not a map.
  std::vector<uint8_t> encode() const;
  bool restore(std::span<const uint8_t> text);

  // The drives' real contents win over the map (a changer that restarted
  // while its drives kept running; docs/framework.md "Media changer"): held[i] is the
  // cartridge data transfer element i holds now (-1: none; missing entries:
  // none). Afterwards every drive element holds exactly what its drive
  // holds and every cartridge is in one element:
  //  - a held cartridge leaves whatever element the map had it in; its
  //    source storage element is the one it left (a slot), or the one the
  //    map recorded for it (a drive or import/export element);
  //  - a cartridge the map put in a drive that no longer holds it goes to
  //    its source slot, or the first empty slot (then import/export
  //    element) when that is taken;
  //  - a cartridge two drives claim stays in the first; the second drive's
  //    element shows empty (its load refuses: MEDIUM DESTINATION FULL).
  // True when anything changed.
  bool adopt_drives(const std::vector<int>& held);

  // For an administrator's change (library_admin.cpp): empty every element,
  // then put cartridges (indexes into the barcodes) where they go. put()
  // is false when the address is no storage, import/export or data
  // transfer element, or is full.
  void clear();
  bool put(uint16_t address, int cartridge, std::optional<uint16_t> source);
  // The first empty element of a type (storage, import/export), if any.
  std::optional<uint16_t> first_empty_address(element_type t) const;

 private:
  element* first_empty(element_type t);
  std::vector<element> elements_;
  std::vector<std::string> barcodes_;
  layout layout_;
};

}  // namespace stmfd::smc
