#pragma once
// Who a registration (or a persistent reservation holder) stands for, as a
// set of I_T nexuses (SPC-4 5.13.7): an initiator port or, from an iSCSI
// TransportID of format 00b, every port of an initiator device; through
// one target port or, with ALL_TG_PT, through every target port. The
// reservation model keeps registrations whose scopes never overlap, so an
// I_T nexus has at most one registration.
//
// Initiator names compare ASCII case-insensitively (iSCSI names are
// normalized to lower case by RFC 3722, the ISID is hex).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace stmfd {

// One I_T nexus as the reservation model sees it. Set by the LU shell from
// the nexus's remote_port and local_port (make_nexus_identity).
struct nexus_identity {
  // remote_port::port_name: "<iSCSI name>,i,0x<ISID>", or "wwn.<16 hex
  // digits>" for Fibre Channel.
  std::string initiator_port;
  // local_port::relative_port_id: the SPC-4 RELATIVE TARGET PORT IDENTIFIER.
  uint16_t relative_port = 0;
  // The initiator port's TransportID (SPC-4 7.6.4), reported by READ FULL
  // STATUS; empty: derived from initiator_port.
  std::vector<uint8_t> transport_id;
};

// Identity: the initiator port (case-insensitive) and the target port.
bool same_nexus(const nexus_identity& a, const nexus_identity& b);

// ASCII case-insensitive equality.
bool iequal(std::string_view a, std::string_view b);

struct nexus_scope {
  std::string initiator;       // initiator port name, or device name when device_wide
  bool device_wide = false;    // every initiator port "<initiator>,i,0x<ISID>"
  bool all_tg_pt = false;      // every target port
  uint16_t relative_port = 0;  // the target port, unless all_tg_pt

  // The scope of exactly one I_T nexus (or, all_tg_pt, of its initiator
  // port through every target port).
  static nexus_scope of(const nexus_identity& n, bool all_tg_pt = false);

  bool covers(const nexus_identity& n) const;
  // Some I_T nexus is covered by both.
  bool overlaps(const nexus_scope& o) const;
  // Every I_T nexus o covers, this covers too.
  bool contains(const nexus_scope& o) const;
  // Some I_T nexus of this initiator port / device (any target port) is o's.
  bool same_initiator(const nexus_scope& o) const;
  bool operator==(const nexus_scope& o) const { return contains(o) && o.contains(*this); }
};

// One registration (SPC-4 5.13.7): its key and the I_T nexuses it holds,
// with the TransportID READ FULL STATUS reports for it.
struct registration {
  uint64_t key = 0;  // never 0
  nexus_scope scope;
  std::vector<uint8_t> transport_id;
};

}  // namespace stmfd
