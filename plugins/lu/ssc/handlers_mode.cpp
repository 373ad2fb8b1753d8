// MODE SENSE (6/10) and MODE SELECT (6/10) of the tape drive (SPC-4
// 6.11-6.14, SSC-3 8.3): the mode parameter header's BUFFERED MODE, the
// block descriptor (density code and BLOCK LENGTH: 0 selects
// variable-block mode), and the Control (0Ah), Data Compression (0Fh),
// Device Configuration (10h) and Medium Partition (11h) pages. Each page
// is described once and rendered current, changeable (a mask of the bits
// MODE SELECT may change) or default; saved values are not supported.

#include <algorithm>
#include <array>
#include <cstring>

#include "plugins/lu/ssc/types.hpp"
#include "wire/scsi/byte_writer.hpp"
#include "wire/scsi/cdb.hpp"
#include "wire/scsi/mode.hpp"

namespace stmfd::ssc::handlers {

using namespace scsi;

namespace {

struct page_spec {
  uint8_t code;
  uint8_t length;  // PAGE LENGTH: bytes after the 2-byte page header
  // Writes length + 2 bytes: values from `v` (capacity for the partition
  // page from `capacity`), or with `mask` the changeable bits.
  void (*fill)(uint8_t* p, const drive_mode& v, uint64_t capacity, bool mask);
  void (*apply)(const uint8_t* p, drive_mode& v);  // the changeable fields of a validated page
};

void no_apply(const uint8_t*, drive_mode&) {}

// SPC-4 7.5.8 Control: D_SENSE is changeable; QUEUE ALGORITHM MODIFIER 0.
void fill_control(uint8_t* p, const drive_mode& v, uint64_t, bool mask) { p[2] = mask ? 0x04 : (v.d_sense ? 0x04 : 0); }
void apply_control(const uint8_t* p, drive_mode& v) { v.d_sense = p[2] & 0x04; }

// SSC-3 8.3.2 Data Compression: DCC 0, the drive does not compress.
void fill_compression(uint8_t*, const drive_mode&, uint64_t, bool) {}

// SSC-3 8.3.3 Device Configuration: LOIS (logical object identifiers are
// what READ POSITION and LOCATE use), EEG and SEW (early warning is
// reported on writes), EOD DEFINED 0.
void fill_device_config(uint8_t* p, const drive_mode&, uint64_t, bool mask) {
  if (mask) return;
  p[8] = 0x40;   // LOIS
  p[10] = 0x18;  // EEG, SEW
}

// SSC-3 8.3.4 Medium Partition: one partition (MAXIMUM and ADDITIONAL
// PARTITIONS 0), FORMAT and PARTITION recognition, its size in MB (PSUM 10b).
void fill_partition(uint8_t* p, const drive_mode&, uint64_t capacity, bool mask) {
  if (mask) return;
  p[4] = 0x10;  // PSUM 10b: megabytes
  p[5] = 0x03;  // MEDIUM FORMAT RECOGNITION
  const uint64_t mb = std::min<uint64_t>(capacity >> 20, 0xFFFF);
  p[8] = uint8_t(mb >> 8);
  p[9] = uint8_t(mb);
}

constexpr std::array<page_spec, 4> pages = {{
    {0x0A, 0x0A, fill_control, apply_control},
    {0x0F, 0x0E, fill_compression, no_apply},
    {0x10, 0x0E, fill_device_config, no_apply},
    {0x11, 0x08, fill_partition, no_apply},
}};
constexpr size_t max_page_len = 2 + 0x0E;

const page_spec* find_page(uint8_t code) {
  for (const auto& p : pages)
    if (p.code == code) return &p;
  return nullptr;
}

void render(const page_spec& s, uint8_t* out, const drive_mode& v, uint64_t capacity, bool mask) {
  std::memset(out, 0, size_t(s.length) + 2);
  out[0] = s.code;
  out[1] = s.length;
  s.fill(out, v, capacity, mask);
}

// SSC-3 8.3 Table 73: WP, BUFFERED MODE (001b: buffered), SPEED 0.
uint8_t device_specific(const drive_state& st) {
  const bool wp = st.tape && !st.tape->writable();
  return uint8_t((wp ? 0x80 : 0) | (st.mode.buffered ? 0x10 : 0));
}

}  // namespace

// SPC-4 6.11/6.12. PC=11b (saved) -> SAVING PARAMETERS NOT SUPPORTED. The
// block descriptor (8 bytes; LLBAA has no meaning for tape) carries the
// density code and the block length, with PC=01b the changeable mask
// (BLOCK LENGTH is changeable). PAGE CODE 00h (SPC-4 7.5.1: the vendor
// specific page, no page format) returns the header and the block
// descriptor alone: what Linux st asks for on every open to learn the
// block length, density, write protection and buffered mode.
outcome mode_sense(exec_ctx& x) {
  const auto req = mode::decode_sense(x.cmd.cdb);
  if (req.pc == mode::pc::saved) return check(sense::saving_parameters_not_supported());
  if (req.subpage != 0 && req.subpage != mode::all_subpages) return check(invalid_cdb_field(3));
  const bool no_pages = req.page == 0 && req.subpage == 0;
  const page_spec* one = nullptr;
  if (req.page != mode::all_pages && !no_pages) {
    one = find_page(req.page);
    if (!one) return check(invalid_cdb_field(2, 5));
  }
  const bool mask = req.pc == mode::pc::changeable;
  const drive_mode& v = req.pc == mode::pc::default_values ? x.st.defaults : x.st.mode;
  const uint64_t capacity = x.st.tape ? x.st.tape->info().capacity : x.st.blank.capacity;
  byte_writer w(x.data_in, std::min<size_t>(req.alloc_len, x.data_in_cap));
  const uint16_t bd_len = req.dbd ? 0 : 8;
  mode::put_header(w, req.ten, mask ? 0x70 : device_specific(x.st), false, bd_len);
  if (bd_len) {
    w.u8(mask ? 0 : density_code);
    w.be24(0);  // NUMBER OF BLOCKS: 0, the rest of the medium
    w.u8(0);
    w.be24(mask ? 0xFFFFFF : v.block_length);
  }
  uint8_t buf[max_page_len];
  for (const auto& p : pages) {
    if (no_pages || (one && one != &p)) continue;
    render(p, buf, v, capacity, mask);
    w.bytes(buf, size_t(p.length) + 2);
  }
  mode::finish_header(w, req.ten);
  return good(uint32_t(w.written()));
}

// SPC-4 6.13/6.14. SP must be 0 (nothing is saved). Everything is checked
// before anything changes: BUFFERED MODE 000b or 001b; a block descriptor
// of 8 bytes whose density code is 0 (no change) or this format's, NUMBER
// OF BLOCKS 0 and BLOCK LENGTH at most the maximum block length; each page
// known, of its exact length, differing from the current values only in
// changeable bits.
outcome mode_select(exec_ctx& x) {
  const auto req = mode::decode_select(x.cmd.cdb);
  if (req.sp) return check(invalid_cdb_field(1, 0));
  if (req.param_len == 0) return good();
  const size_t n = req.param_len;
  const uint8_t* d = x.cmd.data_out;
  const size_t hlen = mode::header_len(req.ten);
  if (!d || x.cmd.data_out_len < n || n < hlen) return check(sense::parameter_list_length_error());
  const auto h = mode::parse_header(d, req.ten);
  const size_t dsp_at = req.ten ? 3 : 2;
  drive_mode next = x.st.mode;
  const uint8_t buffered = (h.device_specific >> 4) & 0x07;
  if (buffered > 1) return check(invalid_param_field(uint16_t(dsp_at), 6));
  next.buffered = buffered == 1;
  if (h.bd_len != 0 && h.bd_len != 8) return check(invalid_param_field(req.ten ? 6 : 3));
  if (hlen + h.bd_len > n) return check(sense::parameter_list_length_error());
  if (h.bd_len) {
    const uint8_t* bd = d + hlen;
    if (bd[0] != 0 && bd[0] != density_code) return check(invalid_param_field(uint16_t(hlen)));
    if (get_be24(bd + 1) != 0) return check(invalid_param_field(uint16_t(hlen + 1)));
    const uint32_t bl = get_be24(bd + 5);
    if (bl > max_block_length) return check(invalid_param_field(uint16_t(hlen + 5)));
    next.block_length = bl;
  }
  const uint64_t capacity = x.st.tape ? x.st.tape->info().capacity : x.st.blank.capacity;
  for (size_t pos = hlen + h.bd_len; pos < n;) {
    if (auto e = mode::check_page_header(d, pos, n)) return check(*e);
    const page_spec* spec = find_page(d[pos] & 0x3F);
    if (!spec) return check(invalid_param_field(uint16_t(pos), 5));
    if (auto e = mode::check_page_length(d, pos, n, spec->length)) return check(*e);
    const size_t plen = size_t(spec->length) + 2;
    uint8_t cur[max_page_len], mask[max_page_len];
    render(*spec, cur, x.st.mode, capacity, false);
    render(*spec, mask, x.st.mode, capacity, true);
    if (auto e = mode::check_changeable(d + pos, cur, mask, plen, pos)) return check(*e);
    spec->apply(d + pos, next);
    pos += plen;
  }
  outcome o = good();
  o.mode_changed = next.block_length != x.st.mode.block_length || next.buffered != x.st.mode.buffered ||
                   next.d_sense != x.st.mode.d_sense;
  x.st.mode = next;
  return o;
}

}  // namespace stmfd::ssc::handlers
