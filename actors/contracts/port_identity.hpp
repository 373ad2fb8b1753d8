#pragma once
// Transport-neutral identities of the two ends of an I_T nexus (SAM-5 4.6.5,
// SPC-4 7.8.6), shared by both provider contracts. The port provider fills
// them in; the framework and LU providers only compare and report them.
#include <cstdint>
#include <string>
#include <vector>

namespace stmfd {

enum class transport : uint8_t { iscsi, fc };

// A local (target) port, registered by its port provider.
struct local_port {
  transport kind = transport::iscsi;
  // The target name views and target groups match: an iSCSI target name,
  // or "wwn.<16 hex digits>" (the port's WWPN) for Fibre Channel.
  std::string target_name;
  // SPC-4 RELATIVE TARGET PORT IDENTIFIER: assigned by the framework when
  // the provider registers (unique across providers, from 1).
  uint16_t relative_port_id = 0;
  // The target port group (ALUA, SPC-4 5.15) the port belongs to. Set by
  // the provider (iSCSI: the portal group tag until ALUA groups exist).
  uint16_t target_port_group = 1;
  // The port's own designation descriptors for VPD 83h (SPC-4 7.8.6): the
  // target port name and target device name in the transport's form, plus
  // the relative port and target port group designators. Built by the
  // provider (it knows the protocol identifier); LU providers copy them.
  std::vector<uint8_t> designators;
  // Accepting logins (stmfadm online-target / offline-target). Set by STMF
  // (issue 6, additive); a provider makes new nexuses only through online
  // ports and logs out those of a port that goes offline.
  bool online = true;
  // The port's link is up (issue 7, additive). Set by STMF from the
  // provider's port_link_atom reports (port_provider.hpp); true for ports
  // whose provider reports none (iSCSI portals). A port is down for ALUA
  // (actors/model/alua.hpp apply_port_states) when it is not online or its
  // link is down.
  bool link_up = true;
};

// A remote (initiator) port: one end of an I_T nexus. Set by the port
// provider when it registers the nexus.
struct remote_port {
  transport kind = transport::iscsi;
  // The name host groups match: the iSCSI initiator name, or
  // "wwn.<16 hex digits>" (the initiator's WWPN).
  std::string initiator_name;
  // The SCSI initiator port name, unique per I_T nexus: iSCSI
  // "<name>,i,0x<ISID as 12 hex digits>" (RFC 7143 4.2.7); FC the WWPN.
  std::string port_name;
};

}  // namespace stmfd
