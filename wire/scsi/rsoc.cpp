#include "wire/scsi/rsoc.hpp"

#include <algorithm>

#include "wire/scsi/byte_writer.hpp"
#include "wire/scsi/cdb.hpp"

namespace stmfd::scsi {

rsoc_request decode_rsoc(const uint8_t* c) {
  rsoc_request r;
  r.rctd = c[2] & 0x80;
  r.options = c[2] & 0x07;
  r.opcode = c[3];
  r.sa = get_be16(c + 4);
  r.alloc_len = get_be32(c + 6);
  return r;
}

namespace {

void put_timeouts(byte_writer& w) {
  w.be16(rsoc_timeouts_len - 2);
  w.u8(0);    // reserved
  w.u8(0);    // command specific
  w.be32(0);  // nominal command processing timeout: not specified
  w.be32(0);  // recommended command timeout: not specified
}

bool opcode_has_sa(std::span<const op_info> ops, uint8_t opcode) {
  return std::any_of(ops.begin(), ops.end(), [&](const op_info& o) { return o.opcode == opcode && o.has_sa; });
}

const op_info* find(std::span<const op_info> ops, uint8_t opcode, std::optional<uint16_t> sa) {
  for (const auto& o : ops) {
    if (o.opcode != opcode) continue;
    if (!sa && !o.has_sa) return &o;
    if (sa && o.has_sa && o.sa == *sa) return &o;
  }
  return nullptr;
}

}  // namespace

reply build_rsoc(std::span<const op_info> ops, const rsoc_request& req, uint8_t* out, size_t cap) {
  const size_t limit = std::min<size_t>(cap, req.alloc_len);
  byte_writer w(out, limit);
  if (req.options == 0) {
    // SPC-4 6.35.2 Table 263: all_commands parameter data.
    w.be32(0);  // COMMAND DATA LENGTH, patched
    for (const auto& o : ops) {
      w.u8(o.opcode);
      w.u8(0);
      w.be16(o.has_sa ? o.sa : 0);
      w.u8(0);
      w.u8(uint8_t((req.rctd ? 0x02 : 0) | (o.has_sa ? 0x01 : 0)));  // CTDP | SERVACTV
      w.be16(o.cdb_len);
      if (req.rctd) put_timeouts(w);
    }
    w.set_be32(0, uint32_t(w.size() - 4));
    return {std::nullopt, w.written()};
  }

  const op_info* o = nullptr;
  switch (req.options) {
    case 1:  // opcode without service actions
      if (opcode_has_sa(ops, req.opcode)) return {invalid_cdb_field(2, 2), 0};
      o = find(ops, req.opcode, std::nullopt);
      break;
    case 2:  // opcode + service action
      if (!opcode_has_sa(ops, req.opcode) && find(ops, req.opcode, std::nullopt)) return {invalid_cdb_field(2, 2), 0};
      o = find(ops, req.opcode, req.sa);
      break;
    case 3:  // either form
      o = opcode_has_sa(ops, req.opcode) ? find(ops, req.opcode, req.sa) : find(ops, req.opcode, std::nullopt);
      break;
    default: return {invalid_cdb_field(2, 2), 0};
  }
  // SPC-4 6.35.3 Table 265: one_command parameter data.
  w.u8(0);
  if (!o) {
    w.u8(0x01);  // SUPPORT 001b: not supported
    w.be16(0);
    return {std::nullopt, w.written()};
  }
  w.u8(uint8_t((req.rctd ? 0x80 : 0) | 0x03));  // CTDP | SUPPORT 011b: supported per standard
  w.be16(o->cdb_len);
  w.bytes(o->usage.data(), o->cdb_len);
  if (req.rctd) put_timeouts(w);
  return {std::nullopt, w.written()};
}

}  // namespace stmfd::scsi
