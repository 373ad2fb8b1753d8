// The changer's state file and its restart (docs/framework.md "Media changer"): the
// element map tagged with the digest of the library definition it belongs
// to, plus the previous definition's map after an administrator's change,
// so the map a restart takes always matches the config file, whichever of
// the two writes (state file first, then config) a crash cut; and the
// drive elements taken from what the drives really hold.
#include <charconv>
#include <string_view>

#include "plugins/lu/smc/changer.hpp"

namespace stmfd::smc {

namespace {

constexpr std::string_view magic_v1 = "stmfd-library 1\n";
constexpr std::string_view magic_v2 = "stmfd-library 2\n";
constexpr std::string_view section = "map ";

void mix(uint64_t& h, std::string_view s) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  h ^= 0xff;  // a separator no field contains
  h *= 0x100000001b3ull;
}

std::string hex16(uint64_t v) {
  char buf[17];
  auto r = std::to_chars(buf, buf + 16, v, 16);
  std::string s(buf, r.ptr);
  return std::string(16 - s.size(), '0') + s;
}

// One "map <digest>" section: its digest and its lines as a version 1 map.
struct map_section {
  uint64_t digest = 0;
  std::string text;
};

// Splits a version 2 file; false when it is malformed.
bool split(std::string_view all, std::vector<map_section>& out) {
  while (!all.empty()) {
    const size_t nl = all.find('\n');
    if (nl == std::string_view::npos) return false;
    const std::string_view line = all.substr(0, nl + 1);
    all.remove_prefix(nl + 1);
    if (line.substr(0, section.size()) == section) {
      const std::string_view d = line.substr(section.size(), line.size() - section.size() - 1);
      map_section m;
      auto r = std::from_chars(d.data(), d.data() + d.size(), m.digest, 16);
      if (d.size() != 16 || r.ec != std::errc() || r.ptr != d.data() + d.size()) return false;
      m.text = std::string(magic_v1);
      out.push_back(std::move(m));
      continue;
    }
    if (out.empty()) return false;  // a line before the first section
    out.back().text += line;
  }
  return !out.empty();
}

}  // namespace

uint64_t definition_digest(const library_definition& l) {
  uint64_t h = 0xcbf29ce484222325ull;
  mix(h, std::to_string(l.slots));
  mix(h, std::to_string(l.import_export));
  for (const auto& d : l.drives) mix(h, "drive " + d.lu_name);
  for (const auto& c : l.cartridges) {
    mix(h, "cartridge " + c.barcode);
    mix(h, c.path);
    mix(h, std::to_string(c.capacity));
  }
  return h;
}

std::vector<uint8_t> changer::persistent_state() const {
  std::string out(magic_v2);
  auto body = [](const std::vector<uint8_t>& v1) {
    return std::string(v1.begin() + std::ptrdiff_t(magic_v1.size()), v1.end());
  };
  out += std::string(section) + hex16(st_.digest) + "\n" + body(st_.map.encode());
  if (st_.previous && st_.previous->digest != st_.digest)
    out += std::string(section) + hex16(st_.previous->digest) + "\n" + body(st_.previous->text);
  return {out.begin(), out.end()};
}

bool changer::restore(std::span<const uint8_t> persisted) {
  std::string_view all(reinterpret_cast<const char*>(persisted.data()), persisted.size());
  if (all.substr(0, magic_v1.size()) == magic_v1) return st_.map.restore(persisted);
  if (all.substr(0, magic_v2.size()) != magic_v2) return false;
  std::vector<map_section> maps;
  if (!split(all.substr(magic_v2.size()), maps)) return false;
  const map_section* pick = &maps.front();
  for (const auto& m : maps)
    if (m.digest == st_.digest) pick = &m;
  st_.previous.reset();  // the config file now says which definition holds
  return st_.map.restore(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(pick->text.data()), pick->text.size()));
}

bool changer::adopt_drives(const std::vector<std::string>& drive_media) {
  std::vector<int> held(st_.library->drives.size(), -1);
  for (size_t d = 0; d < held.size() && d < drive_media.size(); ++d) {
    if (drive_media[d].empty()) continue;
    for (size_t c = 0; c < st_.library->cartridges.size(); ++c)
      if (st_.library->cartridges[c].path == drive_media[d]) held[d] = int(c);
  }
  return st_.map.adopt_drives(held);
}

}  // namespace stmfd::smc
