#include "plugins/lu/smc/element_map.hpp"

#include <algorithm>
#include <charconv>
#include <string_view>

namespace stmfd::smc {

element_map::element_map(layout l, std::vector<std::string> barcodes) : barcodes_(std::move(barcodes)), layout_(l) {
  elements_.push_back({element_type::transport, transport_base, -1, std::nullopt});
  for (uint32_t i = 0; i < l.import_export; ++i)
    elements_.push_back({element_type::import_export, uint16_t(import_export_base + i), -1, std::nullopt});
  for (uint32_t i = 0; i < l.drives; ++i)
    elements_.push_back({element_type::data_transfer, uint16_t(drive_base + i), -1, std::nullopt});
  for (uint32_t i = 0; i < l.slots; ++i)
    elements_.push_back({element_type::storage, uint16_t(slot_base + i), -1, std::nullopt});
  for (size_t c = 0; c < barcodes_.size() && c < l.slots; ++c) {
    element* e = find(uint16_t(slot_base + c));
    e->cartridge = int(c);  // never moved: no source (SVALID 0)
  }
}

const element* element_map::find(uint16_t address) const {
  auto it = std::lower_bound(elements_.begin(), elements_.end(), address,
                             [](const element& e, uint16_t a) { return e.address < a; });
  return it != elements_.end() && it->address == address ? &*it : nullptr;
}

element* element_map::find(uint16_t address) {
  return const_cast<element*>(static_cast<const element_map*>(this)->find(address));
}

uint16_t element_map::first_address(element_type t) const {
  switch (t) {
    case element_type::transport: return transport_base;
    case element_type::import_export: return import_export_base;
    case element_type::data_transfer: return drive_base;
    case element_type::storage: return slot_base;
    case element_type::all: return 0;
  }
  return 0;
}

uint32_t element_map::count(element_type t) const {
  switch (t) {
    case element_type::transport: return 1;
    case element_type::import_export: return layout_.import_export;
    case element_type::data_transfer: return layout_.drives;
    case element_type::storage: return layout_.slots;
    case element_type::all: return uint32_t(elements_.size());
  }
  return 0;
}

std::optional<uint32_t> element_map::drive_index(uint16_t address) const {
  const element* e = find(address);
  if (!e || e->type != element_type::data_transfer) return std::nullopt;
  return uint32_t(address - drive_base);
}

const element* element_map::holding(const std::string& barcode) const {
  for (const auto& e : elements_)
    if (e.full() && barcodes_[size_t(e.cartridge)] == barcode) return &e;
  return nullptr;
}

move_error element_map::check(uint16_t src, uint16_t dst) const {
  const element* s = find(src);
  const element* d = find(dst);
  if (!s || !d || s->type == element_type::transport || d->type == element_type::transport)
    return move_error::invalid_address;
  if (!s->full()) return move_error::source_empty;
  if (d->full() && src != dst) return move_error::destination_full;
  return move_error::none;
}

void element_map::move(uint16_t src, uint16_t dst) {
  if (check(src, dst) != move_error::none || src == dst) return;
  element* s = find(src);
  element* d = find(dst);
  d->cartridge = s->cartridge;
  // The source storage element: a slot the cartridge leaves is where it
  // came from; elsewhere it keeps the slot it came from before.
  d->source = s->type == element_type::storage ? std::optional<uint16_t>(s->address) : s->source;
  s->cartridge = -1;
  s->source.reset();
}

move_error element_map::check_exchange(uint16_t src, uint16_t dst1, uint16_t dst2) const {
  for (uint16_t a : {src, dst1, dst2}) {
    const element* e = find(a);
    if (!e || e->type == element_type::transport) return move_error::invalid_address;
  }
  if (src == dst1) return move_error::invalid_address;
  if (!find(src)->full() || !find(dst1)->full()) return move_error::source_empty;
  if (dst2 != src && find(dst2)->full()) return move_error::destination_full;
  return move_error::none;
}

void element_map::exchange(uint16_t src, uint16_t dst1, uint16_t dst2) {
  if (check_exchange(src, dst1, dst2) != move_error::none) return;
  element* s = find(src);
  element* d1 = find(dst1);
  element* d2 = find(dst2);
  const auto from_s = s->type == element_type::storage ? std::optional<uint16_t>(s->address) : s->source;
  const auto from_d1 = d1->type == element_type::storage ? std::optional<uint16_t>(d1->address) : d1->source;
  const int moving = s->cartridge, displaced = d1->cartridge;
  s->cartridge = -1;
  s->source.reset();
  d1->cartridge = moving;
  d1->source = from_s;
  d2->cartridge = displaced;  // d2 is empty now (it was, or it is src)
  d2->source = from_d1;
}

element* element_map::first_empty(element_type t) {
  for (auto& e : elements_)
    if (e.type == t && !e.full()) return &e;
  return nullptr;
}

void element_map::clear() {
  for (auto& e : elements_) {
    e.cartridge = -1;
    e.source.reset();
  }
}

bool element_map::put(uint16_t address, int cartridge, std::optional<uint16_t> source) {
  element* e = find(address);
  if (!e || e->type == element_type::transport || e->full()) return false;
  e->cartridge = cartridge;
  e->source = source;
  return true;
}

std::optional<uint16_t> element_map::first_empty_address(element_type t) const {
  for (const auto& e : elements_)
    if (e.type == t && !e.full()) return e.address;
  return std::nullopt;
}

std::vector<uint8_t> element_map::encode() const {
  std::string out = "stmfd-library 1\n";
  char buf[16];
  for (const auto& e : elements_) {
    if (!e.full()) continue;
    auto hex = [&](uint16_t v) {
      auto r = std::to_chars(buf, buf + sizeof buf, v, 16);
      return std::string(buf, r.ptr);
    };
    out += hex(e.address) + " " + (e.source ? hex(*e.source) : std::string("-")) + " " +
           barcodes_[size_t(e.cartridge)] + "\n";
  }
  return {out.begin(), out.end()};
}

namespace {

bool parse_hex(std::string_view s, uint16_t& v) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), v, 16);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && !s.empty();
}

struct placement {
  uint16_t address;
  std::optional<uint16_t> source;
  int cartridge;
};

}  // namespace

bool element_map::restore(std::span<const uint8_t> text) {
  std::string_view all(reinterpret_cast<const char*>(text.data()), text.size());
  const std::string_view magic = "stmfd-library 1\n";
  if (all.substr(0, magic.size()) != magic) return false;
  all.remove_prefix(magic.size());
  std::vector<placement> places;
  std::vector<bool> seen(barcodes_.size(), false), used(65536, false);
  while (!all.empty()) {
    const size_t nl = all.find('\n');
    if (nl == std::string_view::npos) return false;
    std::string_view line = all.substr(0, nl);
    all.remove_prefix(nl + 1);
    const size_t a = line.find(' ');
    const size_t b = a == std::string_view::npos ? a : line.find(' ', a + 1);
    if (b == std::string_view::npos) return false;
    placement p{};
    uint16_t src = 0;
    if (!parse_hex(line.substr(0, a), p.address)) return false;
    const std::string_view src_text = line.substr(a + 1, b - a - 1);
    if (src_text != "-") {
      if (!parse_hex(src_text, src)) return false;
      p.source = src;
    }
    const std::string_view code = line.substr(b + 1);
    auto it = std::find(barcodes_.begin(), barcodes_.end(), code);
    const element* e = find(p.address);
    if (!e || e->type == element_type::transport || used[p.address]) return false;
    if (it == barcodes_.end()) continue;  // a cartridge the config no longer has
    p.cartridge = int(it - barcodes_.begin());
    if (seen[size_t(p.cartridge)]) return false;
    seen[size_t(p.cartridge)] = used[p.address] = true;
    places.push_back(p);
  }
  for (auto& e : elements_) {
    e.cartridge = -1;
    e.source.reset();
  }
  for (const auto& p : places) {  // drive placements too: adopt_drives() settles them
    element* e = find(p.address);
    e->cartridge = p.cartridge;
    e->source = p.source;
  }
  for (size_t c = 0; c < barcodes_.size(); ++c) {
    if (seen[c]) continue;
    element* e = first_empty(element_type::storage);
    if (!e) e = first_empty(element_type::import_export);
    if (!e) continue;
    e->cartridge = int(c);
  }
  return true;
}

bool element_map::adopt_drives(const std::vector<int>& held) {
  const std::vector<element> before = elements_;
  struct lifted {
    int cartridge;
    std::optional<uint16_t> source;
  };
  std::vector<lifted> from_drives;  // what the map had in drives, taken out for now
  for (auto& e : elements_)
    if (e.type == element_type::data_transfer && e.full()) {
      from_drives.push_back({e.cartridge, e.source});
      e.cartridge = -1;
      e.source.reset();
    }
  std::vector<bool> in_drive(barcodes_.size(), false);
  for (uint32_t d = 0; d < layout_.drives && d < held.size(); ++d) {
    const int c = held[d];
    if (c < 0 || size_t(c) >= barcodes_.size() || in_drive[size_t(c)]) continue;
    in_drive[size_t(c)] = true;
    std::optional<uint16_t> source;
    bool lifted_here = false;
    for (const auto& l : from_drives)
      if (l.cartridge == c) {
        source = l.source;
        lifted_here = true;
      }
    if (!lifted_here)
      for (auto& e : elements_)
        if (e.cartridge == c) {  // the map had it outside the drives: it left that element
          source = e.type == element_type::storage ? std::optional<uint16_t>(e.address) : e.source;
          e.cartridge = -1;
          e.source.reset();
        }
    element* de = find(uint16_t(drive_base + d));
    de->cartridge = c;
    de->source = source;
  }
  for (const auto& l : from_drives) {  // no drive holds it any more: home
    if (in_drive[size_t(l.cartridge)]) continue;
    element* home = l.source ? find(*l.source) : nullptr;
    if (!home || home->type != element_type::storage || home->full()) home = first_empty(element_type::storage);
    if (!home) home = first_empty(element_type::import_export);
    if (!home) continue;  // cannot happen: no more cartridges than slots
    home->cartridge = l.cartridge;
    home->source = l.source;
  }
  for (size_t i = 0; i < elements_.size(); ++i)
    if (elements_[i].cartridge != before[i].cartridge || elements_[i].source != before[i].source) return true;
  return false;
}

}  // namespace stmfd::smc
