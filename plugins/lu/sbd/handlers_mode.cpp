// MODE SENSE (6/10) and MODE SELECT (6/10).

#include <algorithm>
#include <bit>

#include "plugins/lu/sbd/handler.hpp"
#include "plugins/lu/sbd/mode_pages.hpp"
#include "wire/scsi/byte_writer.hpp"
#include "wire/scsi/cdb.hpp"
#include "wire/scsi/mode.hpp"

namespace stmfd::sbd::handlers {

using namespace scsi;

namespace {

// SBC-3 6.4.1: WP (write protected) and DPOFUA (DPO and FUA honoured).
uint8_t device_specific(const lu_state& lu) { return uint8_t((lu.write_protected() ? 0x80 : 0) | 0x10); }

void put_page(byte_writer& w, const mode_pages::page_spec& p, uint8_t pc, const lu_state& lu) {
  uint8_t buf[mode_pages::max_page_len];
  p.fill(buf, pc == mode::pc::default_values ? lu.defaults : lu.mode, pc == mode::pc::changeable);
  w.bytes(buf, size_t(p.length) + 2);
}

}  // namespace

// SPC-4 6.11/6.12. Pages are in page_0 format (no subpages); subpage FFh
// ("all subpages") is accepted. PC=11b (saved) -> SAVING PARAMETERS NOT
// SUPPORTED. The block descriptor is short unless LLBAA (10 only) asks for
// the long one; with PC=01b its fields read 0 (not changeable).
outcome mode_sense(exec_ctx& x) {
  const auto req = mode::decode_sense(x.cmd.cdb);
  if (req.pc == mode::pc::saved) return check(sense::saving_parameters_not_supported());
  if (req.subpage != 0 && req.subpage != mode::all_subpages) return check(invalid_cdb_field(3));
  const mode_pages::page_spec* one = nullptr;
  if (req.page != mode::all_pages) {
    one = mode_pages::find(req.page);
    if (!one) return check(invalid_cdb_field(2, 5));
  }
  byte_writer w(x.data_in, std::min<size_t>(req.alloc_len, x.data_in_cap));
  const bool long_lba = req.llbaa;
  const uint16_t bd_len = req.dbd ? 0 : uint16_t(mode::block_descriptor_len(long_lba));
  mode::put_header(w, req.ten, device_specific(x.lu), long_lba && bd_len, bd_len);
  if (bd_len) {
    const bool chg = req.pc == mode::pc::changeable;
    mode::put_block_descriptor(w, long_lba, chg ? 0 : x.lu.geo.block_count, chg ? 0 : x.lu.geo.block_size);
  }
  if (one) {
    put_page(w, *one, req.pc, x.lu);
  } else {
    for (const auto& p : mode_pages::pages()) put_page(w, p, req.pc, x.lu);
  }
  mode::finish_header(w, req.ten);
  return good(uint32_t(w.written()));
}

// SPC-4 6.13/6.14. PF must be 1 (page format), SP 0 (nothing is saved).
// The parameter list is validated completely before anything changes:
// block descriptors must restate the current capacity (or 0) and block
// length; each page must be known, have its exact PAGE LENGTH, and differ
// from the current values only in changeable bits. Errors point into the
// parameter list (INVALID FIELD IN PARAMETER LIST) or report PARAMETER
// LIST LENGTH ERROR for a truncated list.
outcome mode_select(exec_ctx& x) {
  const auto req = mode::decode_select(x.cmd.cdb);
  if (req.sp) return check(invalid_cdb_field(1, 0));
  if (req.param_len == 0) return good();
  if (!req.pf) return check(invalid_cdb_field(1, 4));
  const size_t n = req.param_len;
  const uint8_t* d = x.cmd.data_out;
  const size_t hlen = mode::header_len(req.ten);
  if (!d || x.cmd.data_out_len < n || n < hlen) return check(sense::parameter_list_length_error());

  const auto h = mode::parse_header(d, req.ten);
  if (h.medium_type != 0) return check(invalid_param_field(req.ten ? 2 : 1));
  const bool long_lba = req.ten && h.long_lba;
  if (h.bd_len != 0 && h.bd_len != mode::block_descriptor_len(long_lba))
    return check(invalid_param_field(req.ten ? 6 : 3));
  if (hlen + h.bd_len > n) return check(sense::parameter_list_length_error());
  if (h.bd_len) {
    const uint8_t* bd = d + hlen;
    const uint64_t count = x.lu.geo.block_count;
    const uint64_t blocks = long_lba ? get_be64(bd) : get_be32(bd);
    const bool blocks_ok = blocks == 0 || blocks == count || (!long_lba && blocks == 0xFFFFFFFFu && count > blocks);
    if (!blocks_ok) return check(invalid_param_field(uint16_t(hlen)));
    const size_t bl_at = long_lba ? 12 : 5;
    const uint32_t block_len = long_lba ? get_be32(bd + 12) : get_be24(bd + 5);
    if (block_len != x.lu.geo.block_size) return check(invalid_param_field(uint16_t(hlen + bl_at)));
  }

  mode_state next = x.lu.mode;
  for (size_t pos = hlen + h.bd_len; pos < n;) {
    if (auto e = mode::check_page_header(d, pos, n)) return check(*e);
    const auto* spec = mode_pages::find(d[pos] & 0x3F);
    if (!spec) return check(invalid_param_field(uint16_t(pos), 5));
    if (auto e = mode::check_page_length(d, pos, n, spec->length)) return check(*e);
    const size_t plen = size_t(spec->length) + 2;
    uint8_t cur[mode_pages::max_page_len], mask[mode_pages::max_page_len];
    spec->fill(cur, x.lu.mode, false);
    spec->fill(mask, x.lu.mode, true);
    if (auto e = mode::check_changeable(d + pos, cur, mask, plen, pos)) return check(*e);
    spec->apply(d + pos, next);
    pos += plen;
  }
  outcome o = good();
  // SPC-4 5.14 / 6.13: only a change to a shared page is news to the other
  // nexuses (the Control page is kept per I_T nexus; disk::execute records it).
  o.mode_changed = mode_pages::shared_pages_differ(next, x.lu.mode);
  x.lu.mode = next;
  return o;
}

}  // namespace stmfd::sbd::handlers
