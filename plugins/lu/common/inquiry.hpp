#pragma once
// INQUIRY (SPC-4 6.6) as every device type answers it: standard data and
// the VPD pages every LU has (00h Supported, 80h Unit Serial Number, 83h
// Device Identification); a device type's own pages come from its
// callback. Header-only, for every LU provider's core.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "actors/contracts/lu_provider.hpp"
#include "plugins/lu/common/outcome.hpp"
#include "wire/scsi/byte_writer.hpp"
#include "wire/scsi/inquiry.hpp"
#include "wire/scsi/vpd.hpp"

namespace stmfd::lu_inquiry {

struct device {
  uint8_t peripheral = 0;              // peripheral qualifier 000b and the device type
  bool removable = false;              // RMB
  std::span<const uint16_t> versions;  // version descriptors
  std::span<const uint8_t> vpd_pages;  // every page it answers, ascending (00h, 80h, 83h first)
  // Its command table has the framework's ALUA rows (REPORT/SET TARGET
  // PORT GROUPS): the standard data reports lu_command::tpgs. Else TPGS 0.
  bool alua = false;
};

// EVPD=0 with a page code, or a page not listed -> INVALID FIELD IN CDB
// at byte 2. `own(page, writer)` writes a listed page other than 00h, 80h
// and 83h (its header too, from vpd::begin_page). Replies are cut to
// ALLOCATION LENGTH.
template <class OwnPage>
lu_outcome answer(const lu_command& cmd, const lu_identity& id, const device& d, uint8_t* out, size_t out_cap,
                  OwnPage own) {
  using namespace scsi;
  const auto req = decode_inquiry(cmd.cdb);
  if (!req.evpd && req.page != 0) return lu_reply::check(invalid_cdb_field(2));
  const size_t cap = std::min<size_t>(req.alloc_len, out_cap);
  if (!req.evpd) {
    standard_inquiry s;
    s.peripheral = d.peripheral;
    s.removable = d.removable;
    s.vendor = id.vendor;
    s.product = id.product;
    s.revision = id.revision;
    s.version_descriptors = d.versions;
    s.tpgs = d.alua ? cmd.tpgs : uint8_t(0);
    return lu_reply::good(uint32_t(build_standard_inquiry(s, out, cap)));
  }
  if (std::find(d.vpd_pages.begin(), d.vpd_pages.end(), req.page) == d.vpd_pages.end())
    return lu_reply::check(invalid_cdb_field(2));
  byte_writer w(out, cap);
  switch (req.page) {
    case vpd::page::supported:
      vpd::begin_page(w, d.peripheral, vpd::page::supported);
      for (uint8_t p : d.vpd_pages) w.u8(p);
      break;
    case vpd::page::unit_serial:
      vpd::begin_page(w, d.peripheral, vpd::page::unit_serial);
      vpd::put_serial(w, id.serial, id.naa, sizeof id.naa);
      break;
    case vpd::page::device_id:
      // SPC-4 7.8.6: the LU's NAA designator and the designators the port
      // provider built for the target port the command came through.
      vpd::begin_page(w, d.peripheral, vpd::page::device_id);
      vpd::put_naa(w, id.naa, sizeof id.naa);
      if (cmd.port) w.bytes(cmd.port->designators.data(), cmd.port->designators.size());
      break;
    default: own(req.page, w); break;
  }
  vpd::end_page(w, 0);
  return lu_reply::good(uint32_t(w.written()));
}

}  // namespace stmfd::lu_inquiry
