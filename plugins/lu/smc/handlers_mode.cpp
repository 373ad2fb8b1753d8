// MODE SENSE (6/10) of the media changer (SPC-4 6.11/6.12, SMC-3 7.3): the
// Element Address Assignment (1Dh), Transport Geometry Parameters (1Eh)
// and Device Capabilities (1Fh) pages. Nothing is changeable (the
// changeable values are all zeros) and no MODE SELECT is offered; saved
// values are not supported. A changer has no block descriptors.

#include <algorithm>
#include <array>
#include <cstring>

#include "plugins/lu/smc/types.hpp"
#include "wire/scsi/byte_writer.hpp"
#include "wire/scsi/mode.hpp"

namespace stmfd::smc::handlers {

using namespace scsi;

namespace {

// SMC-3 7.3.2 Element Address Assignment: first address and count of each
// element type, in the order transport, storage, import/export, data
// transfer.
void fill_addresses(uint8_t* p, const element_map& m) {
  size_t at = 2;
  for (auto t :
       {element_type::transport, element_type::storage, element_type::import_export, element_type::data_transfer}) {
    p[at] = uint8_t(m.first_address(t) >> 8);
    p[at + 1] = uint8_t(m.first_address(t));
    p[at + 2] = uint8_t(m.count(t) >> 8);
    p[at + 3] = uint8_t(m.count(t));
    at += 4;
  }
}

// SMC-3 7.3.4 Transport Geometry Parameters: one transport, it cannot
// rotate the medium (ROTATE 0, MEMBER NUMBER IN TRANSPORT ELEMENT SET 0).
void fill_geometry(uint8_t*, const element_map&) {}

// SMC-3 7.3.3 Device Capabilities: media are stored in storage,
// import/export and data transfer elements (not in the transport), and
// MOVE MEDIUM goes from each of those to each (bits DT 3, I/E 2, ST 1),
// and so does EXCHANGE MEDIUM (bytes 13..15: ST, I/E, DT <> DT, I/E, ST).
void fill_capabilities(uint8_t* p, const element_map&) {
  constexpr uint8_t st = 0x02, ie = 0x04, dt = 0x08;
  p[2] = st | ie | dt;   // STOR DT, STOR I/E, STOR ST
  p[5] = st | ie | dt;   // ST -> DT, I/E, ST
  p[6] = st | ie | dt;   // I/E -> DT, I/E, ST
  p[7] = st | ie | dt;   // DT -> DT, I/E, ST
  p[13] = st | ie | dt;  // ST <> DT, I/E, ST
  p[14] = st | ie | dt;  // I/E <> DT, I/E, ST
  p[15] = st | ie | dt;  // DT <> DT, I/E, ST
}

struct page_spec {
  uint8_t code;
  uint8_t length;  // PAGE LENGTH: bytes after the 2-byte header
  void (*fill)(uint8_t* p, const element_map& m);
};

constexpr std::array<page_spec, 3> pages = {{
    {0x1D, 0x12, fill_addresses},
    {0x1E, 0x02, fill_geometry},
    {0x1F, 0x12, fill_capabilities},
}};
constexpr size_t max_page_len = 2 + 0x12;

}  // namespace

// SPC-4 6.11/6.12. PC=11b (saved) -> SAVING PARAMETERS NOT SUPPORTED; an
// unknown page or a subpage -> INVALID FIELD IN CDB.
outcome mode_sense(exec_ctx& x) {
  const auto req = mode::decode_sense(x.cmd.cdb);
  if (req.pc == mode::pc::saved) return check(sense::saving_parameters_not_supported());
  if (req.subpage != 0 && !(req.subpage == mode::all_subpages && req.page == mode::all_pages))
    return check(invalid_cdb_field(3));
  const bool all = req.page == mode::all_pages;
  if (!all && std::none_of(pages.begin(), pages.end(), [&](const page_spec& p) { return p.code == req.page; }))
    return check(invalid_cdb_field(2, 5));
  const bool mask = req.pc == mode::pc::changeable;
  byte_writer w(x.data_in, std::min<size_t>(req.alloc_len, x.data_in_cap));
  mode::put_header(w, req.ten, 0, false, 0);
  uint8_t buf[max_page_len];
  for (const auto& p : pages) {
    if (!all && p.code != req.page) continue;
    std::memset(buf, 0, sizeof buf);
    buf[0] = p.code;
    buf[1] = p.length;
    if (!mask) p.fill(buf, x.st.map);
    w.bytes(buf, size_t(p.length) + 2);
  }
  mode::finish_header(w, req.ten);
  return good(uint32_t(w.written()));
}

}  // namespace stmfd::smc::handlers
