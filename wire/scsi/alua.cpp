#include "wire/scsi/alua.hpp"

#include <algorithm>
#include <array>

#include "wire/scsi/byte_writer.hpp"
#include "wire/scsi/cdb.hpp"

namespace stmfd::scsi::alua {

namespace {

struct named_state {
  access_state state;
  std::string_view name;
};
constexpr std::array<named_state, 6> names = {{
    {access_state::active_optimized, "active-optimized"},
    {access_state::active_non_optimized, "active-nonoptimized"},
    {access_state::standby, "standby"},
    {access_state::unavailable, "unavailable"},
    {access_state::offline, "offline"},
    {access_state::transitioning, "transitioning"},
}};

constexpr size_t cdb_len = 12;

std::optional<sense_info> check_cdb(const uint8_t* cdb, size_t len, const uint8_t* usage) {
  if (len < cdb_len) return invalid_cdb_field(0);
  if (auto f = check_usage(cdb, usage, cdb_len)) return sense_info{sense::invalid_field_in_cdb(), std::nullopt, f};
  return std::nullopt;
}

}  // namespace

std::string_view name_of(access_state s) {
  for (auto& n : names)
    if (n.state == s) return n.name;
  return "unknown";
}

std::optional<access_state> parse_state(std::string_view text) {
  for (auto& n : names)
    if (n.name == text) return n.state;
  return std::nullopt;
}

bool is_rtpg(const uint8_t* cdb, size_t len) {
  return len >= 2 && cdb[0] == op::maintenance_in && (cdb[1] & 0x1F) == sa::report_target_port_groups;
}

bool is_stpg(const uint8_t* cdb, size_t len) {
  return len >= 2 && cdb[0] == op::maintenance_out && (cdb[1] & 0x1F) == sa::set_target_port_groups;
}

std::optional<sense_info> decode_rtpg(const uint8_t* cdb, size_t len, rtpg_request& out) {
  if (auto s = check_cdb(cdb, len, rtpg_usage)) return s;
  const uint8_t format = cdb[1] >> 5;
  if (format > 1) return invalid_cdb_field(1, 7);  // SPC-4 6.27: only 000b and 001b are defined
  out.extended = format == 1;
  out.allocation_length = get_be32(cdb + 6);
  return std::nullopt;
}

size_t build_rtpg(bool extended, uint8_t implicit_transition_time, std::span<const group_descriptor> groups,
                  uint8_t* out, size_t cap) {
  byte_writer w(out, cap);
  w.be32(0);  // RETURN DATA LENGTH: patched below
  if (extended) {
    w.u8(0x10);  // FORMAT TYPE 001b
    w.u8(implicit_transition_time);
    w.be16(0);
  }
  for (const auto& g : groups) {
    const size_t ports = std::min<size_t>(g.relative_ports.size(), 0xFF);
    w.u8(uint8_t((g.preferred ? 0x80 : 0) | uint8_t(g.state)));
    w.u8(g.supported);
    w.be16(g.group);
    w.u8(0);
    w.u8(uint8_t(g.status));
    w.u8(0);  // vendor specific
    w.u8(uint8_t(ports));
    for (size_t i = 0; i < ports; ++i) {
      w.be16(0);  // obsolete
      w.be16(g.relative_ports[i]);
    }
  }
  // SPC-4 6.27: the length of what follows the field (n - 3), extended
  // header included, whatever the allocation length cut off.
  w.set_be32(0, uint32_t(w.size() - 4));
  return w.written();
}

std::optional<sense_info> decode_stpg(const uint8_t* cdb, size_t len, stpg_request& out) {
  if (auto s = check_cdb(cdb, len, stpg_usage)) return s;
  out.parameter_list_length = get_be32(cdb + 6);
  return std::nullopt;
}

std::optional<sense_info> parse_stpg(const uint8_t* data, size_t len, std::vector<stpg_change>& out) {
  out.clear();
  if (len == 0) return std::nullopt;  // SPC-4 6.36: no descriptors, nothing changes
  if (len < 4 || (len - 4) % 4 != 0) return plain(sense::parameter_list_length_error());
  for (size_t at = 4; at < len; at += 4) {
    const uint8_t* d = data + at;
    if (d[0] & 0xF0) return invalid_param_field(uint16_t(at), 7);
    if (!settable_by_stpg(d[0] & 0x0F)) return invalid_param_field(uint16_t(at), 3);
    if (d[1] != 0) return invalid_param_field(uint16_t(at + 1));
    const uint16_t group = get_be16(d + 2);
    if (std::any_of(out.begin(), out.end(), [&](const stpg_change& c) { return c.group == group; }))
      return invalid_param_field(uint16_t(at + 2));
    out.push_back({group, access_state(d[0] & 0x0F), uint16_t(at)});
  }
  return std::nullopt;
}

}  // namespace stmfd::scsi::alua
