// INQUIRY: standard data and the VPD pages of a direct-access LU.

#include <algorithm>
#include <array>

#include "plugins/lu/sbd/handler.hpp"
#include "plugins/lu/sbd/mode_pages.hpp"
#include "wire/scsi/byte_writer.hpp"
#include "wire/scsi/inquiry.hpp"
#include "wire/scsi/vpd.hpp"
#include "wire/scsi/xcopy.hpp"

namespace stmfd::sbd::handlers {

using namespace scsi;

namespace {

constexpr uint8_t periph = peripheral::direct_access;

// Supported VPD pages, ascending (SPC-4 7.8.13). SBC-3 6.5 makes 00h, 80h
// (recommended), 83h, B0h, B1h the set initiators expect.
constexpr std::array<uint8_t, 9> supported_pages = {
    vpd::page::supported,
    vpd::page::unit_serial,
    vpd::page::device_id,
    vpd::page::extended_inquiry,
    vpd::page::mode_page_policy,
    vpd::page::third_party_copy,
    vpd::page::block_limits,
    vpd::page::block_device_characteristics,
    vpd::page::logical_block_provisioning,
};

void page_supported(byte_writer& w) {
  vpd::begin_page(w, periph, vpd::page::supported);
  for (uint8_t p : supported_pages) w.u8(p);
  vpd::end_page(w, 0);
}

// SPC-4 7.8.15: the serial, or the NAA in hex when none was configured.
void page_unit_serial(byte_writer& w, const identity& id) {
  vpd::begin_page(w, periph, vpd::page::unit_serial);
  vpd::put_serial(w, id.serial, id.naa, sizeof id.naa);
  vpd::end_page(w, 0);
}

// SPC-4 7.8.6: the LU's NAA designator; with a port, the designators its
// port provider built for it (target port name, relative port, target port
// group, target device name): the LU never builds transport names itself.
void page_device_id(byte_writer& w, const identity& id, const local_port* port) {
  vpd::begin_page(w, periph, vpd::page::device_id);
  vpd::put_naa(w, id.naa, sizeof id.naa);
  if (port) w.bytes(port->designators.data(), port->designators.size());
  vpd::end_page(w, 0);
}

// SPC-4 7.8.7 Extended INQUIRY Data: HEADSUP, ORDSUP, SIMPSUP (the task
// set's HEAD OF QUEUE, ORDERED and SIMPLE attributes), V_SUP (volatile
// write cache), LUICLR (REPORT LUNS clears REPORTED LUNS DATA HAS CHANGED
// per I_T nexus).
void page_extended_inquiry(byte_writer& w) {
  vpd::begin_page(w, periph, vpd::page::extended_inquiry);
  w.u8(0);     // ACTIVATE MICROCODE, SPT, GRD_CHK, APP_CHK, REF_CHK
  w.u8(0x07);  // UASK_SUP, GROUP_SUP, PRIOR_SUP, HEADSUP, ORDSUP, SIMPSUP
  w.u8(0x01);  // WU_SUP, CRD_SUP, NV_SUP, V_SUP
  w.u8(0x01);  // P_I_I_SUP, LUICLR
  w.zeros(60 - 4);
  vpd::end_page(w, 0);
}

// SBC-3 6.5.3 Block Limits, page length 3Ch, with the limits the handlers
// enforce (types.hpp limits); the unmap fields are 0 on a fully
// provisioned LU (no UNMAP). SBC-4 6.6.4 adds the WRITE ATOMIC(16) fields.
void page_block_limits(byte_writer& w, const lu_state& lu) {
  const uint32_t granularity = std::max<uint32_t>(1, limits::unmap_granularity_bytes / lu.geo.block_size);
  vpd::begin_page(w, periph, vpd::page::block_limits);
  w.u8(0);                                                  // WSNZ: a WRITE SAME of 0 blocks runs to the end
  w.u8(limits::max_compare_and_write_blocks);               // MAXIMUM COMPARE AND WRITE LENGTH
  w.be16(uint16_t(1u << lu.geo.lbppbe));                    // OPTIMAL TRANSFER LENGTH GRANULARITY
  w.be32(lu.max_transfer_blocks());                         // MAXIMUM TRANSFER LENGTH
  w.be32(0);                                                // OPTIMAL TRANSFER LENGTH
  w.be32(0);                                                // MAXIMUM PREFETCH LENGTH
  w.be32(lu.max_unmap_blocks());                            // MAXIMUM UNMAP LBA COUNT
  w.be32(lu.geo.thin ? limits::max_unmap_descriptors : 0);  // MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT
  w.be32(lu.geo.thin ? granularity : 0);                    // OPTIMAL UNMAP GRANULARITY
  w.be32(0);                                                // UGAVALID 0: no UNMAP GRANULARITY ALIGNMENT
  w.be64(lu.max_write_same_blocks());                       // MAXIMUM WRITE SAME LENGTH
  w.be32(lu.max_atomic_blocks());                           // MAXIMUM ATOMIC TRANSFER LENGTH (SBC-4)
  w.be32(lu.atomic_unit());                                 // ATOMIC ALIGNMENT
  w.be32(lu.atomic_unit());                                 // ATOMIC TRANSFER LENGTH GRANULARITY
  w.be32(0);  // MAXIMUM ATOMIC TRANSFER LENGTH WITH ATOMIC BOUNDARY: no boundaries
  w.be32(0);  // MAXIMUM ATOMIC BOUNDARY SIZE
  vpd::end_page(w, 0);
}

// SBC-3 6.5.2 Block Device Characteristics, page length 3Ch. SBC-4
// WABEREQ and WACEREQ 01b where SANITIZE BLOCK ERASE and CRYPTO ERASE exist
// (thin LUs): a read of a block not written since reads zeros, GOOD.
void page_block_device_characteristics(byte_writer& w, const lu_state& lu) {
  vpd::begin_page(w, periph, vpd::page::block_device_characteristics);
  w.be16(lu.geo.non_rotational ? 0x0001 : 0x0000);  // MEDIUM ROTATION RATE (0: not reported)
  w.u8(0);                                          // PRODUCT TYPE
  w.u8(lu.geo.thin ? 0x50 : 0);                     // WABEREQ, WACEREQ, NOMINAL FORM FACTOR
  w.zeros(64 - 8);
  vpd::end_page(w, 0);
}

// SBC-3 6.5.4 Logical Block Provisioning. Thin: UNMAP (LBPU), WRITE SAME
// (16) and (10) with UNMAP (LBPWS, LBPWS10), deallocated blocks read as
// zeros (LBPRZ 001b), PROVISIONING TYPE 010b (thin). Fully provisioned: all
// 0 (SBC-3 4.7.2).
void page_logical_block_provisioning(byte_writer& w, const lu_state& lu) {
  vpd::begin_page(w, periph, vpd::page::logical_block_provisioning);
  w.u8(0);                       // THRESHOLD EXPONENT: no thresholds
  w.u8(lu.geo.thin ? 0xE4 : 0);  // LBPU, LBPWS, LBPWS10, LBPRZ, ANC_SUP 0, DP 0
  w.u8(lu.geo.thin ? 0x02 : 0);  // PROVISIONING TYPE
  w.u8(0);
  vpd::end_page(w, 0);
}

// SPC-4 7.8.9 Mode Page Policy: one descriptor per mode page (subpage 0),
// MLUS 0 (no page is shared with other LUs), MODE PAGE POLICY 00b shared or
// 11b per I_T nexus as the page table says.
void page_mode_page_policy(byte_writer& w) {
  vpd::begin_page(w, periph, vpd::page::mode_page_policy);
  for (const auto& p : mode_pages::pages()) {
    w.u8(p.code);
    w.u8(0);
    w.u8(p.per_nexus ? 0x03 : 0x00);
    w.u8(0);
  }
  vpd::end_page(w, 0);
}

}  // namespace

// SPC-4 6.6. EVPD=0 with a page code, or an unsupported VPD page ->
// INVALID FIELD IN CDB at byte 2. Replies are cut to ALLOCATION LENGTH.
outcome inquiry(exec_ctx& x) {
  const auto req = decode_inquiry(x.cmd.cdb);
  if (!req.evpd && req.page != 0) return check(invalid_cdb_field(2));
  byte_writer w(x.data_in, std::min<size_t>(req.alloc_len, x.data_in_cap));
  if (!req.evpd) {
    static constexpr uint16_t versions[] = {version_descriptor::sam5, version_descriptor::iscsi,
                                            version_descriptor::spc4, version_descriptor::sbc3};
    standard_inquiry d;
    d.removable = x.lu.geo.removable;
    d.third_party_copy = true;  // 3PC: EXTENDED COPY through the framework's copy manager
    d.vendor = x.lu.id.vendor;
    d.product = x.lu.id.product;
    d.revision = x.lu.id.revision;
    d.version_descriptors = versions;
    d.tpgs = x.cmd.tpgs;  // the framework's ALUA support (REPORT/SET TARGET PORT GROUPS)
    return good(uint32_t(build_standard_inquiry(d, x.data_in, std::min<size_t>(req.alloc_len, x.data_in_cap))));
  }
  switch (req.page) {
    case vpd::page::supported: page_supported(w); break;
    case vpd::page::unit_serial: page_unit_serial(w, x.lu.id); break;
    case vpd::page::device_id: page_device_id(w, x.lu.id, x.cmd.port); break;
    case vpd::page::extended_inquiry: page_extended_inquiry(w); break;
    case vpd::page::mode_page_policy: page_mode_page_policy(w); break;
    case vpd::page::third_party_copy: xcopy::put_third_party_copy_page(w, periph); break;  // SPC-4 7.8.17
    case vpd::page::block_limits: page_block_limits(w, x.lu); break;
    case vpd::page::block_device_characteristics: page_block_device_characteristics(w, x.lu); break;
    case vpd::page::logical_block_provisioning: page_logical_block_provisioning(w, x.lu); break;
    default: return check(invalid_cdb_field(2));
  }
  return good(uint32_t(w.written()));
}

}  // namespace stmfd::sbd::handlers
