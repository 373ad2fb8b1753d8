#include "wire/scsi/persistent_reserve.hpp"

#include <algorithm>
#include <cctype>

#include "wire/scsi/byte_writer.hpp"
#include "wire/scsi/cdb.hpp"

namespace stmfd::scsi::pr {

namespace {

sense_info length_error() { return plain(sense::parameter_list_length_error()); }

template <class T>
parsed<T> fail(sense_info s) {
  return {std::nullopt, s};
}

// ---- CDB usage ----------------------------------------------------------

std::optional<sense_info> check_cdb(const uint8_t* cdb, size_t len, const uint8_t* usage, size_t need) {
  if (len < need) return invalid_cdb_field(0);
  if (const auto f = check_usage(cdb, usage, need)) return sense_info{sense::invalid_field_in_cdb(), std::nullopt, f};
  return std::nullopt;
}

// ---- TransportIDs ---------------------------------------------------------

constexpr std::string_view isid_separator = ",i,0x";

size_t find_isid_separator(std::string_view s) {
  const auto it = std::search(s.begin(), s.end(), isid_separator.begin(), isid_separator.end(),
                              [](char a, char b) { return std::tolower(uint8_t(a)) == std::tolower(uint8_t(b)); });
  return it == s.end() ? std::string_view::npos : size_t(it - s.begin());
}

bool all_hex(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(uint8_t(c)) != 0; });
}

// SPC-4 7.6.4.2 Table 447: FC TransportID, 24 bytes.
parsed<transport_id> parse_fc(const uint8_t* p, size_t avail, size_t at) {
  constexpr size_t len = 24;
  if (avail < len) return fail<transport_id>(invalid_param_field(uint16_t(at)));
  if (p[0] >> 6 != 0) return fail<transport_id>(invalid_param_field(uint16_t(at), 7));
  for (size_t i = 1; i < len; ++i)
    if ((i < 8 || i >= 16) && p[i] != 0) return fail<transport_id>(invalid_param_field(uint16_t(at + i)));
  static constexpr char hex[] = "0123456789abcdef";
  transport_id t;
  t.protocol = protocol::fc;
  t.initiator = "wwn.";
  for (size_t i = 8; i < 16; ++i) {
    t.initiator += hex[p[i] >> 4];
    t.initiator += hex[p[i] & 0xF];
  }
  t.bytes.assign(p, p + len);
  return {t, std::nullopt};
}

// SPC-4 7.6.4.6 Tables 451/452: iSCSI TransportID, format 00b or 01b.
parsed<transport_id> parse_iscsi(const uint8_t* p, size_t avail, size_t at) {
  const uint8_t format = p[0] >> 6;
  if (format > 1) return fail<transport_id>(invalid_param_field(uint16_t(at), 7));
  const size_t addl = get_be16(p + 2);
  if (addl == 0 || addl % 4 != 0 || addl > max_iscsi_tid_additional || 4 + addl > avail)
    return fail<transport_id>(invalid_param_field(uint16_t(at + 2)));
  const char* name = reinterpret_cast<const char*>(p + 4);
  const size_t n = std::find(name, name + addl, '\0') - name;
  const auto bad_name = [&] { return fail<transport_id>(invalid_param_field(uint16_t(at + 4))); };
  if (n == 0 || n == addl) return bad_name();  // empty, or no null terminator
  const std::string_view s(name, n);
  const size_t sep = find_isid_separator(s);
  if (format == 0 && sep != std::string_view::npos) return bad_name();
  if (format == 1 && (sep == std::string_view::npos || sep == 0 || !all_hex(s.substr(sep + isid_separator.size()))))
    return bad_name();
  transport_id t;
  t.protocol = protocol::iscsi;
  t.initiator = std::string(s);
  t.device_wide = format == 0;
  t.bytes.assign(p, p + 4 + addl);
  return {t, std::nullopt};
}

void put_key_pair(byte_writer& w, uint64_t key, uint64_t sa_key) {
  w.be64(key);
  w.be64(sa_key);
}

}  // namespace

// ---- CDBs ---------------------------------------------------------------

parsed<prin_cdb> decode_prin(const uint8_t* cdb, size_t len) {
  if (auto e = check_cdb(cdb, len, prin_usage, sizeof prin_usage)) return fail<prin_cdb>(*e);
  return {prin_cdb{uint8_t(cdb[1] & 0x1F), get_be16(cdb + 7)}, std::nullopt};
}

parsed<prout_cdb> decode_prout(const uint8_t* cdb, size_t len) {
  if (auto e = check_cdb(cdb, len, prout_usage, sizeof prout_usage)) return fail<prout_cdb>(*e);
  return {prout_cdb{uint8_t(cdb[1] & 0x1F), uint8_t(cdb[2] >> 4), uint8_t(cdb[2] & 0x0F), get_be32(cdb + 5)},
          std::nullopt};
}

std::optional<sense_info> check_reserve_release(const uint8_t* cdb, size_t len) {
  if (len == 0) return invalid_cdb_field(0);
  switch (cdb[0]) {
    case op::reserve6: return check_cdb(cdb, len, reserve6_usage, sizeof reserve6_usage);
    case op::release6: return check_cdb(cdb, len, release6_usage, sizeof release6_usage);
    case op_reserve10: return check_cdb(cdb, len, reserve10_usage, sizeof reserve10_usage);
    case op_release10: return check_cdb(cdb, len, release10_usage, sizeof release10_usage);
    default: return plain(sense::invalid_opcode());
  }
}

std::vector<uint8_t> make_prin_cdb(uint8_t action, uint16_t alloc_len) {
  std::vector<uint8_t> c(10, 0);
  c[0] = op::persistent_reserve_in;
  c[1] = action & 0x1F;
  put_be16(&c[7], alloc_len);
  return c;
}

std::vector<uint8_t> make_prout_cdb(uint8_t action, uint8_t type, uint32_t param_len, uint8_t scope) {
  std::vector<uint8_t> c(10, 0);
  c[0] = op::persistent_reserve_out;
  c[1] = action & 0x1F;
  c[2] = uint8_t(scope << 4 | (type & 0x0F));
  put_be32(&c[5], param_len);
  return c;
}

// ---- TransportIDs -----------------------------------------------------------

parsed<transport_id> parse_transport_id(const uint8_t* p, size_t avail, size_t at) {
  if (avail < 4) return fail<transport_id>(invalid_param_field(uint16_t(at)));
  if (p[0] & 0x30) return fail<transport_id>(invalid_param_field(uint16_t(at), 5));  // reserved bits 5:4
  switch (p[0] & 0x0F) {
    case protocol::fc: return parse_fc(p, avail, at);
    case protocol::iscsi: return parse_iscsi(p, avail, at);
    default: return fail<transport_id>(invalid_param_field(uint16_t(at), 3));
  }
}

std::vector<uint8_t> iscsi_transport_id(std::string_view name) {
  const bool port = find_isid_separator(name) != std::string_view::npos;
  size_t addl = (name.size() + 1 + 3) / 4 * 4;  // null-terminated, multiple of 4
  addl = std::max<size_t>(addl, 20);            // at least 24 bytes in all
  std::vector<uint8_t> t(4 + addl, 0);
  t[0] = uint8_t((port ? 0x40 : 0x00) | protocol::iscsi);
  put_be16(&t[2], uint16_t(addl));
  std::copy(name.begin(), name.end(), t.begin() + 4);
  return t;
}

std::vector<uint8_t> fc_transport_id(uint64_t n_port_name) {
  std::vector<uint8_t> t(24, 0);
  t[0] = protocol::fc;
  put_be64(&t[8], n_port_name);
  return t;
}

std::vector<uint8_t> transport_id_for_port(std::string_view port_name) {
  constexpr std::string_view wwn = "wwn.";
  if (port_name.size() == wwn.size() + 16 && port_name.substr(0, wwn.size()) == wwn &&
      all_hex(port_name.substr(wwn.size()))) {
    uint64_t v = 0;
    for (char c : port_name.substr(wwn.size()))
      v = v << 4 | uint64_t(std::isdigit(uint8_t(c)) ? c - '0' : (c | 0x20) - 'a' + 10);
    return fc_transport_id(v);
  }
  return iscsi_transport_id(port_name);
}

// ---- PERSISTENT RESERVE OUT parameter lists ----------------------------------

parsed<prout_params> parse_prout_params(uint8_t action, const uint8_t* p, size_t plen) {
  using R = prout_params;
  const bool spec = plen > prout_flags_byte && (p[prout_flags_byte] & 0x08);
  const bool spec_register = spec && action == out_action::register_key;
  if (!spec_register && plen != 24) return fail<R>(length_error());
  if (spec_register && plen < prout_tids_at) return fail<R>(length_error());
  if (spec && !spec_register) return fail<R>(invalid_param_field(prout_flags_byte, 3));
  const uint8_t flags = p[prout_flags_byte];
  if (flags & 0xF0) return fail<R>(invalid_param_field(prout_flags_byte, 7));
  if (flags & 0x02) return fail<R>(invalid_param_field(prout_flags_byte, 1));
  if (p[21] != 0) return fail<R>(invalid_param_field(21));
  prout_params r;
  r.key = get_be64(p);
  r.sa_key = get_be64(p + 8);
  r.spec_i_pt = spec;
  r.all_tg_pt = flags & 0x04;
  r.aptpl = flags & 0x01;
  if (!spec) return {r, std::nullopt};
  const uint64_t tpdl = get_be32(p + 24);
  if (prout_tids_at + tpdl != plen) return fail<R>(length_error());
  for (size_t at = prout_tids_at; at < plen;) {
    auto t = parse_transport_id(p + at, plen - at, at);
    if (!t.value) return fail<R>(*t.error);
    at += t.value->bytes.size();
    r.tids.push_back(std::move(*t.value));
  }
  return {r, std::nullopt};
}

parsed<move_params> parse_move_params(const uint8_t* p, size_t plen) {
  using R = move_params;
  if (plen < move_tid_at) return fail<R>(length_error());
  const uint64_t tpdl = get_be32(p + 20);
  if (move_tid_at + tpdl != plen) return fail<R>(length_error());
  if (p[16] != 0) return fail<R>(invalid_param_field(16));
  if (p[move_flags_byte] & 0xFC) return fail<R>(invalid_param_field(move_flags_byte, 7));
  auto t = parse_transport_id(p + move_tid_at, plen - move_tid_at, move_tid_at);
  if (!t.value) return fail<R>(*t.error);
  if (t.value->bytes.size() != tpdl) return fail<R>(invalid_param_field(20));
  move_params r;
  r.key = get_be64(p);
  r.sa_key = get_be64(p + 8);
  r.unreg = p[move_flags_byte] & 0x02;
  r.aptpl = p[move_flags_byte] & 0x01;
  r.relative_port = get_be16(p + move_port_byte);
  r.tid = std::move(*t.value);
  return {r, std::nullopt};
}

std::vector<uint8_t> make_prout_params(uint64_t key, uint64_t sa_key, bool aptpl, bool all_tg_pt) {
  std::vector<uint8_t> v(24, 0);
  byte_writer w(v.data(), v.size());
  put_key_pair(w, key, sa_key);
  v[prout_flags_byte] = uint8_t((all_tg_pt ? 0x04 : 0) | (aptpl ? 0x01 : 0));
  return v;
}

std::vector<uint8_t> make_spec_i_pt_params(uint64_t key, uint64_t sa_key, std::span<const std::vector<uint8_t>> tids,
                                           bool all_tg_pt, bool aptpl) {
  size_t tpdl = 0;
  for (const auto& t : tids) tpdl += t.size();
  std::vector<uint8_t> v(prout_tids_at + tpdl, 0);
  byte_writer w(v.data(), v.size());
  put_key_pair(w, key, sa_key);
  v[prout_flags_byte] = uint8_t(0x08 | (all_tg_pt ? 0x04 : 0) | (aptpl ? 0x01 : 0));
  put_be32(&v[24], uint32_t(tpdl));
  auto at = v.begin() + prout_tids_at;
  for (const auto& t : tids) at = std::copy(t.begin(), t.end(), at);
  return v;
}

std::vector<uint8_t> make_move_params(uint64_t key, uint64_t sa_key, uint16_t relative_port,
                                      std::span<const uint8_t> tid, bool unreg, bool aptpl) {
  std::vector<uint8_t> v(move_tid_at + tid.size(), 0);
  byte_writer w(v.data(), v.size());
  put_key_pair(w, key, sa_key);
  v[move_flags_byte] = uint8_t((unreg ? 0x02 : 0) | (aptpl ? 0x01 : 0));
  put_be16(&v[move_port_byte], relative_port);
  put_be32(&v[20], uint32_t(tid.size()));
  std::copy(tid.begin(), tid.end(), v.begin() + move_tid_at);
  return v;
}

// ---- PERSISTENT RESERVE IN parameter data --------------------------------------

size_t build_read_keys(uint32_t generation, std::span<const uint64_t> keys, uint16_t alloc_len, uint8_t* out,
                       size_t cap) {
  byte_writer w(out, std::min<size_t>(alloc_len, cap));
  w.be32(generation);
  w.be32(uint32_t(keys.size() * 8));
  for (const uint64_t k : keys) w.be64(k);
  return w.written();
}

size_t build_read_reservation(uint32_t generation, const std::optional<reservation_view>& r, uint16_t alloc_len,
                              uint8_t* out, size_t cap) {
  byte_writer w(out, std::min<size_t>(alloc_len, cap));
  w.be32(generation);
  w.be32(r ? 0x10 : 0);
  if (r) {
    w.be64(r->key);
    w.zeros(4);  // obsolete
    w.u8(0);     // reserved
    w.u8(uint8_t(lu_scope << 4 | (r->type & 0x0F)));
    w.zeros(2);  // obsolete
  }
  return w.written();
}

size_t build_report_capabilities(const capabilities& c, uint16_t alloc_len, uint8_t* out, size_t cap) {
  byte_writer w(out, std::min<size_t>(alloc_len, cap));
  w.be16(8);  // LENGTH
  w.u8(uint8_t((c.crh ? 0x10 : 0) | (c.sip_c ? 0x08 : 0) | (c.atp_c ? 0x04 : 0) | (c.ptpl_c ? 0x01 : 0)));
  w.u8(uint8_t((c.tmv ? 0x80 : 0) | (c.allow_commands & 0x07) << 4 | (c.ptpl_a ? 0x01 : 0)));
  w.be16(c.type_mask);
  w.zeros(2);
  return w.written();
}

size_t build_read_full_status(uint32_t generation, std::span<const full_status> entries, uint16_t alloc_len,
                              uint8_t* out, size_t cap) {
  byte_writer w(out, std::min<size_t>(alloc_len, cap));
  w.be32(generation);
  size_t additional = 0;
  for (const auto& e : entries) additional += 24 + e.transport_id.size();
  w.be32(uint32_t(additional));
  for (const auto& e : entries) {
    w.be64(e.key);
    w.zeros(4);
    w.u8(uint8_t((e.all_tg_pt ? 0x02 : 0) | (e.r_holder ? 0x01 : 0)));
    w.u8(e.r_holder ? uint8_t(lu_scope << 4 | (e.type & 0x0F)) : 0);
    w.zeros(4);
    w.be16(e.all_tg_pt ? 0 : e.relative_port);
    w.be32(uint32_t(e.transport_id.size()));
    w.bytes(e.transport_id.data(), e.transport_id.size());
  }
  return w.written();
}

}  // namespace stmfd::scsi::pr
